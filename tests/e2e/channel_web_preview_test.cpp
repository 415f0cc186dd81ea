// The public web preview of a real server, in headless Chromium (tests/browser/preview_check.mjs):
// a channel created and posted to through the CLI renders its posts newest last, pages back,
// shows hostile markup as text with no script running, shows a post rewritten in the
// server's database as unverified, and a missing channel as the 404 page. The screenshot is
// kept as a test artifact (build/artifacts/channel-preview-server.png).
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "support/accounts.h"
#include "support/channels.h"
#include "support/db_edit.h"
#include "support/process.h"

namespace bulwark::e2e {
namespace {

const std::string hostile_text =
    "<script>window.__pwned=1</script>\"><img src=x onerror=\"window.__pwned=1\"> "
    "<svg onload=alert(1)> </div></article><a href=\"javascript:alert(1)\">x</a> & done";

std::uint64_t post(const Account& owner, const std::string& text) {
  CliResult result = owner.cli.run({"channel", "post", "free_press", "-m", text});
  require(result.exit_code() == 0 && result.of_type("channel_appended").size() == 1,
          "channel post failed", result.describe());
  return result.of_type("channel_appended")[0]["seq"].get<std::uint64_t>();
}

TEST(ChannelWebPreviewTest, RealServerPagesRenderInChromiumWithoutRunningAnyScript) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv",
                       ServerOptions{"[channels]\nweb_page_posts = 4\n"});
  Account owner = register_account(tmp, server, "owner", test_phone(80));
  CliResult created = owner.cli.run(
      {"channel", "create", "free_press", "--title", "Free <Press> & \"Friends\"", "--description",
       "What they asked for.\nWhat we answered."});
  ASSERT_EQ(created.exit_code(), 0) << created.describe();

  const std::uint64_t first = post(owner, "The first older post");
  const std::uint64_t second = post(owner, "The second older post,\nwith two lines");
  const std::uint64_t hostile = post(owner, hostile_text);
  const std::uint64_t forged = post(owner, "We will publish every order we receive.");
  const std::uint64_t newest = post(owner, "Newest: a court asked for messages; we hold none.");
  const std::uint64_t removed = post(owner, "This one will be deleted");
  CliResult deleted = owner.cli.run({"channel", "delete", "free_press", std::to_string(removed)});
  ASSERT_EQ(deleted.exit_code(), 0) << deleted.describe();

  ASSERT_EQ(server.stop().code, 0);
  rewrite_post(server, forged, "publish");
  server.restart();

  const nlohmann::json spec{
      {"baseUrl", "https://127.0.0.1:" + std::to_string(server.port())},
      {"handle", "free_press"},
      {"title", "Free <Press> & \"Friends\""},
      {"newestPosts",
       nlohmann::json::array({{{"seq", hostile}, {"text", hostile_text}},
                              {{"seq", forged}, {"text", "We will qublish every order we receive."}},
                              {{"seq", newest}, {"text", "Newest: a court asked for messages; we hold none."}},
                              {{"seq", removed}, {"removed", true}}})},
      {"olderPosts", nlohmann::json::array({{{"seq", first}, {"text", "The first older post"}},
                                            {{"seq", second},
                                             {"text", "The second older post,\nwith two lines"}}})},
      {"hostileSeq", hostile},
      {"invalidSeq", forged},
      {"missingHandle", "nobody_here"},
      {"chromium", BULWARK_CHROMIUM},
      {"screenshot", std::string(BULWARK_ARTIFACTS_DIR) + "/channel-preview-server.png"}};
  const std::filesystem::path spec_file = tmp.path() / "spec.json";
  write_file(spec_file, spec.dump(2));

  SpawnOptions options;
  options.argv = {BULWARK_NODE, BULWARK_PREVIEW_CHECK, spec_file.string()};
  options.env = child_environment(tmp.path());
  options.stdout_file = tmp.path() / "check.out";
  options.stderr_file = tmp.path() / "check.err";
  Process check(options);
  std::optional<ExitStatus> status = check.wait_for(std::chrono::seconds(120));
  if (!status) status = check.kill_and_wait();
  const std::string printed = read_file(options.stdout_file);
  const std::string errors = read_file(options.stderr_file);
  EXPECT_TRUE(status->exited && status->code == 0) << printed << errors;
  EXPECT_NE(printed.find("preview_check: OK"), std::string::npos) << printed << errors;
  std::cout << printed;
}

}  // namespace
}  // namespace bulwark::e2e
