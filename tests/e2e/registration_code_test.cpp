// Verification codes are single-use and short-lived: an expired code and a code that already
// registered a device are both refused as the user's error (exit 1).
#include <gtest/gtest.h>

#include <thread>

#include "api/proto/api.pb.h"
#include "support/accounts.h"
#include "support/raw_websocket.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

namespace fs = std::filesystem;

constexpr auto code_lifetime = std::chrono::seconds(1);

void expect_code_refused(const CliResult& result, const std::string& why) {
  EXPECT_EQ(result.exit_code(), 1) << result.describe();
  EXPECT_TRUE(result.of_type("account").empty()) << result.describe();
  auto errors = result.of_type("error");
  ASSERT_EQ(errors.size(), 1u) << result.describe();
  EXPECT_EQ(errors[0]["exit_code"], 1) << result.describe();
  EXPECT_EQ(errors[0]["code"], "auth_failed") << result.describe();
  EXPECT_NE(errors[0].value("message", "").find(why), std::string::npos)
      << "expected the reason \"" << why << "\"\n"
      << result.describe();
}

// The configured lifetime as the server announces it for a new code (RequestCodeResult).
std::uint64_t announced_lifetime_ms(const ServerProcess& server, const std::string& phone) {
  constexpr auto timeout = std::chrono::seconds(10);
  auto ws = RawWebSocket::connect(server.port(), server.ca_file(), timeout);
  WsRead challenge = ws->read(timeout);
  require(challenge.kind == WsRead::Kind::message, "no challenge: " + challenge.describe());
  bulwark::api::Frame request;
  request.mutable_request()->set_id(7);
  request.mutable_request()->mutable_request_code()->set_phone(phone);
  require(ws->write_binary(request.SerializeAsString(), timeout).empty(),
          "cannot send RequestCode");
  WsRead answer = ws->read(timeout);
  require(answer.kind == WsRead::Kind::message, "no answer to RequestCode: " + answer.describe());
  bulwark::api::Frame response;
  require(response.ParseFromString(answer.data) && response.has_response() &&
              response.response().id() == 7 && response.response().status() == bulwark::api::OK &&
              response.response().has_request_code(),
          "RequestCode was not answered OK");
  return response.response().request_code().expires_in_ms();
}

TEST(RegistrationCodeTest, ExpiredCodeIsRefused) {
  TempDir tmp;
  ServerOptions options;
  options.config_toml =
      "[registration]\ncode_lifetime_seconds = " + std::to_string(code_lifetime.count()) + "\n";
  ServerProcess server(tmp.path() / "srv", options);
  // The configuration took effect (so the refusal below is the expiry, not something else).
  EXPECT_EQ(announced_lifetime_ms(server, test_phone(30)), 1000u);

  Account late = new_device(tmp, "late", test_phone(23));
  CliResult requested = late.cli.run(
      {"--server", server.url(), "--ca-file", server.ca_file().string(), "register", late.phone});
  // The code was created before `register` returned: from here on the lifetime is an upper bound.
  const auto requested_at = SteadyClock::now();
  ASSERT_EQ(requested.exit_code(), 0) << requested.describe();
  const std::string code = server.next_code(late.phone);

  // Waiting for the clock is the behaviour under test here, not synchronisation.
  std::this_thread::sleep_until(requested_at + code_lifetime + std::chrono::milliseconds(100));
  expect_code_refused(late.cli.run({"verify", code}), "expired");
  CliResult who = late.cli.run({"whoami"});
  EXPECT_EQ(who.exit_code(), 1) << "no account may exist\n" << who.describe();
}

TEST(RegistrationCodeTest, UsedCodeCannotRegisterAnotherDevice) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = new_device(tmp, "alice", test_phone(23));
  CliResult requested = alice.cli.run(
      {"--server", server.url(), "--ca-file", server.ca_file().string(), "register", alice.phone});
  ASSERT_EQ(requested.exit_code(), 0) << requested.describe();
  const std::string code = server.next_code(alice.phone);
  CliResult verified = alice.cli.run({"verify", code});
  ASSERT_EQ(verified.exit_code(), 0) << verified.describe();

  // A second device directory for the same phone that never asked for a code of its own (so
  // the server still holds no newer code): it tries the used one.
  Account thief = new_device(tmp, "thief", alice.phone);
  fs::create_directories(thief.cli.data_dir() / "accounts" / alice.phone);
  fs::permissions(thief.cli.data_dir() / "accounts" / alice.phone, fs::perms::owner_all,
                  fs::perm_options::replace);
  CliResult reused = thief.cli.run(
      {"--server", server.url(), "--ca-file", server.ca_file().string(), "verify", code});
  expect_code_refused(reused, "used");
  EXPECT_TRUE(server.codes_for(alice.phone).size() == 1u) << "no new code was requested";

  // The refused attempt changed nothing: the first device is still the registered one.
  CliResult who = alice.cli.run({"whoami"});
  ASSERT_EQ(who.exit_code(), 0) << who.describe();
  ASSERT_EQ(who.of_type("account").size(), 1u) << who.describe();
  EXPECT_EQ(who.of_type("account")[0]["devices"], nlohmann::json::array({1})) << who.describe();
  CliResult thief_who = thief.cli.run({"whoami"});
  EXPECT_EQ(thief_who.exit_code(), 1) << thief_who.describe();
}

}  // namespace
}  // namespace bulwark::e2e
