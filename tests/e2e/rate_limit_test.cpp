// Registration is rate limited per phone number: code requests (code_per_phone), code checks
// (verify_per_phone), and wrong guesses per code (code_max_attempts). Limits hit exit 5 (rate
// limited); a voided code is the user's error (exit 1). Tiny limits come from a config file.
#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

// A day between refills: within a test, a spent bucket stays spent.
constexpr const char* no_refill = "86400000";

CliResult request_code(const Account& account, const ServerProcess& server) {
  return account.cli.run({"--server", server.url(), "--ca-file", server.ca_file().string(),
                          "register", account.phone});
}

// The same code with its first digit changed: certainly wrong.
std::string wrong_code(const std::string& code) {
  std::string wrong = code;
  wrong[0] = static_cast<char>('0' + (wrong[0] - '0' + 1) % 10);
  return wrong;
}

void expect_rate_limited(const CliResult& result) {
  EXPECT_EQ(result.exit_code(), 5) << result.describe();
  auto errors = result.of_type("error");
  ASSERT_EQ(errors.size(), 1u) << result.describe();
  EXPECT_EQ(errors[0]["code"], "rate_limited") << result.describe();
  EXPECT_EQ(errors[0]["exit_code"], 5) << result.describe();
}

void expect_invalid_code(const CliResult& result, const std::string& why) {
  EXPECT_EQ(result.exit_code(), 1) << result.describe();
  auto errors = result.of_type("error");
  ASSERT_EQ(errors.size(), 1u) << result.describe();
  EXPECT_EQ(errors[0]["code"], "auth_failed") << result.describe();
  EXPECT_NE(errors[0].value("message", "").find(why), std::string::npos)
      << "expected the reason \"" << why << "\"\n"
      << result.describe();
}

TEST(RateLimitTest, CodeRequestsBeyondThePerPhoneBurstAreRateLimited) {
  TempDir tmp;
  ServerOptions options;
  options.config_toml =
      std::string("[limits]\ncode_per_phone = { burst = 2, refill_ms = ") + no_refill + " }\n";
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = new_device(tmp, "alice", test_phone(23));

  ASSERT_EQ(request_code(alice, server).exit_code(), 0);
  ASSERT_EQ(request_code(alice, server).exit_code(), 0);
  expect_rate_limited(request_code(alice, server));
  expect_rate_limited(request_code(alice, server));
  EXPECT_EQ(server.codes_for(alice.phone).size(), 2u) << "a refused request must send no code";
  EXPECT_EQ(server.metric("bulwark_verification_codes_sent_total"), 2);
  EXPECT_EQ(server.metric("bulwark_requests_rate_limited_total"), 2);

  // Per phone: another number is unaffected, and the codes already sent still work.
  Account bob = register_account(tmp, server, "bob", test_phone(24));
  std::string latest = server.codes_for(alice.phone).back();
  CliResult verified = alice.cli.run({"verify", latest});
  EXPECT_EQ(verified.exit_code(), 0) << verified.describe();
}

TEST(RateLimitTest, WrongCodeStormIsRateLimitedPerPhone) {
  TempDir tmp;
  ServerOptions options;
  options.config_toml = std::string("[registration]\ncode_max_attempts = 100\n[limits]\n") +
                        "verify_per_phone = { burst = 3, refill_ms = " + no_refill + " }\n";
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = new_device(tmp, "alice", test_phone(23));
  ASSERT_EQ(request_code(alice, server).exit_code(), 0);
  const std::string code = server.next_code(alice.phone);

  for (int i = 0; i < 3; ++i)
    expect_invalid_code(alice.cli.run({"verify", wrong_code(code)}), "wrong");
  // The bucket is empty: even the right code is not checked now.
  expect_rate_limited(alice.cli.run({"verify", code}));
  expect_rate_limited(alice.cli.run({"verify", wrong_code(code)}));

  // Another phone has its own bucket.
  Account bob = register_account(tmp, server, "bob", test_phone(24));
}

TEST(RateLimitTest, TooManyWrongCodesVoidTheCode) {
  TempDir tmp;
  ServerOptions options;
  options.config_toml = "[registration]\ncode_max_attempts = 2\n";
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = new_device(tmp, "alice", test_phone(23));
  ASSERT_EQ(request_code(alice, server).exit_code(), 0);
  const std::string code = server.next_code(alice.phone);

  expect_invalid_code(alice.cli.run({"verify", wrong_code(code)}), "wrong code");
  expect_invalid_code(alice.cli.run({"verify", wrong_code(code)}), "wrong code");
  // Two wrong guesses used up the code: the right one no longer registers.
  expect_invalid_code(alice.cli.run({"verify", code}), "too many wrong codes");
  CliResult who = alice.cli.run({"whoami"});
  EXPECT_EQ(who.exit_code(), 1) << "no account may exist\n" << who.describe();

  // A new code starts over.
  register_device(alice, server, true);
}

}  // namespace
}  // namespace bulwark::e2e
