// Bob re-registers his number on a new device (a new identity key). Alice's client refuses to
// send to him (exit 4) and flags the changed safety number (exit 4) until she trusts the new
// key; then messages flow again.
#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

void expect_untrusted(const CliResult& result) {
  EXPECT_EQ(result.exit_code(), 4) << result.describe();
  auto errors = result.of_type("error");
  ASSERT_EQ(errors.size(), 1u) << result.describe();
  EXPECT_EQ(errors[0]["code"], "untrusted_identity") << result.describe();
  EXPECT_EQ(errors[0]["exit_code"], 4) << result.describe();
}

// `safety-number PEER`: the one "safety_number" line (throws without it) and the exit code.
std::pair<nlohmann::json, int> safety_number(const Account& account, const std::string& peer) {
  CliResult result = account.cli.run({"safety-number", peer});
  auto lines = result.of_type("safety_number");
  require(lines.size() == 1, "safety-number printed no safety number", result.describe());
  return {lines[0], result.exit_code()};
}

TEST(UntrustedIdentityTest, ChangedIdentityKeyBlocksSendingUntilTrusted) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  // First contact: Alice trusts Bob's key on first use.
  CliResult first = send_message(alice, bob.phone, "before the key change");
  ASSERT_EQ(first.exit_code(), 0) << first.describe();
  auto at_bob = receive_messages(bob, 1);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(at_bob[0]["body"], "before the key change");
  const auto [before, before_exit] = safety_number(alice, bob.phone);
  EXPECT_EQ(before_exit, 0);
  EXPECT_EQ(before["key_changed"], false);
  EXPECT_EQ(before["digits"].get<std::string>().size(), 60u) << before.dump();

  // Bob re-registers the same number from a new data directory: a new identity key.
  Account bob2 = register_account(tmp, server, "bob2", bob.phone);

  CliResult blocked = send_message(alice, bob.phone, "must not be sent");
  expect_untrusted(blocked);
  EXPECT_TRUE(blocked.of_type("sent").empty()) << blocked.describe();
  EXPECT_NE(blocked.err.find("trust"), std::string::npos) << "stderr says what to do\n"
                                                          << blocked.describe();

  const auto [changed, changed_exit] = safety_number(alice, bob.phone);
  EXPECT_EQ(changed_exit, 4) << "a changed key is flagged with the untrusted-identity exit code";
  EXPECT_EQ(changed["key_changed"], true) << changed.dump();

  CliResult contacts = alice.cli.run({"contacts"});
  ASSERT_EQ(contacts.exit_code(), 0) << contacts.describe();
  ASSERT_EQ(contacts.of_type("contact").size(), 1u) << contacts.describe();
  EXPECT_EQ(contacts.of_type("contact")[0]["trust"], "key changed") << contacts.describe();

  CliResult trusted = alice.cli.run({"trust", bob.phone});
  ASSERT_EQ(trusted.exit_code(), 0) << trusted.describe();
  const auto [after, after_exit] = safety_number(alice, bob.phone);
  EXPECT_EQ(after_exit, 0);
  EXPECT_EQ(after["key_changed"], false) << after.dump();
  EXPECT_NE(after["digits"], before["digits"]) << "a new identity key gives a new safety number";

  CliResult resumed = send_message(alice, bob.phone, "after trusting the new key");
  ASSERT_EQ(resumed.exit_code(), 0) << resumed.describe();
  auto at_bob2 = receive_messages(bob2, 1);
  ASSERT_EQ(at_bob2.size(), 1u) << "the blocked message must not have been sent";
  EXPECT_EQ(at_bob2[0]["body"], "after trusting the new key");
  EXPECT_EQ(at_bob2[0]["from"], alice.phone);

  // The old device was removed by the re-registration.
  CliResult old_device = bob.cli.run({"receive", "--timeout", "1"});
  EXPECT_EQ(old_device.exit_code(), 1) << old_device.describe();

  // Bob's new device can answer, and Alice accepts it (the key is trusted now).
  CliResult reply = send_message(bob2, alice.phone, "new bob here");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto at_alice = receive_messages(alice, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], "new bob here");
}

}  // namespace
}  // namespace bulwark::e2e
