// Messages to a recipient who never connects during the whole exchange wait on the server and
// all arrive, in the order they were sent, at the recipient's first receive.
#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

constexpr int message_count = 50;

TEST(RecipientOfflineTest, EveryMessageQueuedForAnOfflineRecipientArrivesInOrder) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  for (int i = 0; i < message_count; ++i) {
    CliResult sent = send_message(alice, bob.phone, "offline message #" + std::to_string(i));
    ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  }
  EXPECT_EQ(server.metric("bulwark_envelopes_stored_total"), message_count);
  EXPECT_EQ(server.metric("bulwark_envelopes_pushed_total"), 0);

  auto received = receive_messages(bob, message_count);
  ASSERT_EQ(received.size(), static_cast<std::size_t>(message_count));
  for (int i = 0; i < message_count; ++i) {
    EXPECT_EQ(received[i]["body"], "offline message #" + std::to_string(i)) << "position " << i;
    EXPECT_EQ(received[i]["from"], alice.phone);
  }
  EXPECT_TRUE(receive_messages(bob, 0).empty());
  EXPECT_EQ(server.metric("bulwark_envelopes_acked_total"), message_count);
}

}  // namespace
}  // namespace bulwark::e2e
