// Two accounts register (codes from the file sender) and exchange messages both ways: by phone
// number (the recipient registered as discoverable) and by @username.
#include <gtest/gtest.h>

#include <set>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

bool is_envelope_id(const nlohmann::json& id) {
  if (!id.is_string()) return false;
  const std::string text = id.get<std::string>();
  return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(HappyPathTest, TwoAccountsExchangeMessagesByPhoneAndByUsername) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23), /*discoverable=*/true);
  Account bob = register_account(tmp, server, "bob", test_phone(24), /*discoverable=*/false);

  CliResult named = bob.cli.run({"set-username", "bob_e2e"});
  ASSERT_EQ(named.exit_code(), 0) << named.describe();
  CliResult whoami = bob.cli.run({"whoami"});
  ASSERT_EQ(whoami.exit_code(), 0) << whoami.describe();
  ASSERT_EQ(whoami.of_type("account").size(), 1u) << whoami.describe();
  EXPECT_EQ(whoami.of_type("account")[0]["username"], "bob_e2e") << whoami.describe();
  EXPECT_EQ(whoami.of_type("account")[0]["phone"], bob.phone) << whoami.describe();

  // Bob -> Alice by phone (Alice is discoverable).
  CliResult to_alice = send_message(bob, alice.phone, "hello alice, from bob");
  ASSERT_EQ(to_alice.exit_code(), 0) << to_alice.describe();
  auto sent = to_alice.of_type("sent");
  ASSERT_EQ(sent.size(), 1u) << to_alice.describe();
  EXPECT_EQ(sent[0]["to"], alice.phone);
  EXPECT_EQ(sent[0]["devices"], nlohmann::json::array({1})) << to_alice.describe();

  // Alice -> Bob by username (Bob is not discoverable by phone).
  CliResult to_bob = send_message(alice, "@bob_e2e", "hi bob, from alice");
  ASSERT_EQ(to_bob.exit_code(), 0) << to_bob.describe();
  ASSERT_EQ(to_bob.of_type("sent").size(), 1u) << to_bob.describe();

  auto at_alice = receive_messages(alice, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], "hello alice, from bob");
  EXPECT_EQ(at_alice[0]["from"], bob.phone);
  EXPECT_EQ(at_alice[0]["from_device"], 1);
  EXPECT_TRUE(is_envelope_id(at_alice[0]["id"])) << at_alice[0].dump();

  auto at_bob = receive_messages(bob, 1);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(at_bob[0]["body"], "hi bob, from alice");
  EXPECT_EQ(at_bob[0]["from"], alice.phone);
  EXPECT_TRUE(is_envelope_id(at_bob[0]["id"])) << at_bob[0].dump();
  EXPECT_NE(at_alice[0]["id"], at_bob[0]["id"]);

  // A reply inside the established sessions, and nothing is delivered twice.
  CliResult reply = send_message(bob, alice.phone, "second message");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto again = receive_messages(alice, 1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["body"], "second message");
  EXPECT_NE(again[0]["id"], at_alice[0]["id"]);
  EXPECT_TRUE(receive_messages(bob, 0).empty());

  // The operator's timing histograms are exported and have seen this traffic: every commit
  // (at least the three sends), the wait of each commit's oldest job, and the I/O loop's 10 ms
  // probe.
  EXPECT_GE(server.metric("bulwark_store_batch_seconds_count"), 3);
  EXPECT_GE(server.metric("bulwark_store_queue_wait_seconds_count"), 3);
  // One scrape for both sides: background commits (expiry sweeps, the log's signer) may land
  // between two scrapes.
  auto scrape = server.metrics();
  EXPECT_EQ(scrape["bulwark_store_batch_seconds_bucket{le=\"+Inf\"}"],
            scrape["bulwark_store_batch_seconds_count"]);
  EXPECT_GT(scrape["bulwark_store_batch_seconds_count"], 0);
  EXPECT_GT(server.metric("bulwark_io_loop_lag_seconds_count"), 0);
  // Each send named every device with its registration id right the first time, for a new
  // session and for an established one alike (a wrong one is answered STALE_DEVICES, which the
  // client would silently repair by starting over).
  EXPECT_EQ(server.metric("bulwark_sends_refused_device_list_total"), 0);

  EXPECT_EQ(server.stop().describe(), "exit code 0") << server.log_text();
}

}  // namespace
}  // namespace bulwark::e2e
