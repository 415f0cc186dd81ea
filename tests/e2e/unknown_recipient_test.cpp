// Sending to someone the server cannot find is the user's mistake (exit 1) with a message that
// says so, whether the number is unregistered, the username unknown, or the account not
// discoverable by phone.
#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

void expect_not_found(const CliResult& result, const std::string& peer) {
  EXPECT_EQ(result.exit_code(), 1) << result.describe();
  EXPECT_TRUE(result.of_type("sent").empty()) << result.describe();
  auto errors = result.of_type("error");
  ASSERT_EQ(errors.size(), 1u) << result.describe();
  EXPECT_EQ(errors[0]["exit_code"], 1) << result.describe();
  EXPECT_EQ(errors[0]["code"], "not_found") << result.describe();
  EXPECT_NE(errors[0].value("message", "").find(peer), std::string::npos) << result.describe();
  EXPECT_NE(result.err.find(peer), std::string::npos) << "stderr names the peer\n"
                                                      << result.describe();
}

TEST(UnknownRecipientTest, SendingToAnUnknownPeerFailsWithExitOneAndSaysWho) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account hidden = register_account(tmp, server, "hidden", test_phone(25), /*discoverable=*/false);

  const std::string unregistered = test_phone(99);
  expect_not_found(send_message(alice, unregistered, "anyone there?"), unregistered);
  expect_not_found(send_message(alice, "@nobody_here", "anyone there?"), "@nobody_here");
  // Registered but not discoverable: indistinguishable from unregistered.
  expect_not_found(send_message(alice, hidden.phone, "found you?"), hidden.phone);

  // Once discoverable, the same send works: the failures above were about the recipient.
  CliResult discoverable = hidden.cli.run({"set-discoverable", "on"});
  ASSERT_EQ(discoverable.exit_code(), 0) << discoverable.describe();
  CliResult sent = send_message(alice, hidden.phone, "found you");
  ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  auto received = receive_messages(hidden, 1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["body"], "found you");
}

}  // namespace
}  // namespace bulwark::e2e
