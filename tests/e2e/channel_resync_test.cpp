// A reader further behind than the server's resync window gets the newest page instead of a
// flood: the client says so ("resync from here") with how many entries it skipped, every entry
// it shows still verified. A page that stops before the end says there is more.
#include <gtest/gtest.h>

#include "support/channels.h"

namespace bulwark::e2e {
namespace {

ServerOptions small_resync_window() {
  ServerOptions options;
  // The smallest window the server allows; lookups (ChannelInfo) may come quickly here.
  options.config_toml =
      "[channels]\nresync_window = 100\n"
      "[limits]\nlookups_per_account = { burst = 1000, refill_ms = 10 }\n";
  return options;
}

TEST(ChannelResyncTest, AReaderFarBehindIsResyncedToTheNewestPage) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", small_resync_window());
  Account alice = register_account(tmp, server, "alice", test_phone(77));
  Account bob = register_account(tmp, server, "bob", test_phone(78));
  create_channel(alice, "long_story");
  for (int i = 2; i <= 106; ++i) post_to(alice, "long_story", "part " + std::to_string(i));

  CliResult read = channel(bob, {"read", "long_story", "--after", "1", "--limit", "10"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  auto entries = entries_of(read);
  ASSERT_EQ(entries.size(), 10u) << read.describe();
  EXPECT_EQ(entries.front()["seq"], 97) << read.describe();
  EXPECT_EQ(entries.back()["text"], "part 106") << read.describe();
  for (const auto& line : entries) EXPECT_EQ(line["verified"], true) << line.dump();
  ASSERT_EQ(read.of_type("channel_page").size(), 1u) << read.describe();
  const nlohmann::json page = read.of_type("channel_page")[0];
  EXPECT_EQ(page["resynced"], true) << page.dump();
  EXPECT_EQ(page["skipped"], 95) << page.dump();
  EXPECT_EQ(page["cursor"], 106) << page.dump();
  EXPECT_EQ(page["more"], false) << page.dump();
  EXPECT_NE(read.err.find("resyncing from here (95 entries skipped)"), std::string::npos)
      << read.describe();

  // Within the window, a read after a seq is an ordinary page.
  CliResult near = channel(bob, {"read", "long_story", "--after", "100", "--limit", "3"});
  ASSERT_EQ(near.exit_code(), 0) << near.describe();
  EXPECT_EQ(entries_of(near).front()["seq"], 101) << near.describe();
  EXPECT_EQ(near.of_type("channel_page")[0]["resynced"], false) << near.describe();
  EXPECT_EQ(near.of_type("channel_page")[0]["more"], true) << near.describe();
}

}  // namespace
}  // namespace bulwark::e2e
