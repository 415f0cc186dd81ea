// An account with two devices: a message to the account is queued for each device, and
// receiving on one device leaves the other's copy alone.
#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

TEST(SeveralDevicesTest, EachDeviceReceivesItsOwnCopyIndependently) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  const auto second_dir = tmp.path() / "alice2";
  CliResult added = alice.cli.run({"add-device", "--new-data-dir", second_dir.string()});
  ASSERT_EQ(added.exit_code(), 0) << added.describe();
  ASSERT_EQ(added.of_type("device_added").size(), 1u) << added.describe();
  EXPECT_EQ(added.of_type("device_added")[0]["device_id"], 2) << added.describe();
  Account alice2{alice.phone, Cli(second_dir, tmp.path() / "work-alice2")};

  CliResult who = alice2.cli.run({"whoami"});
  ASSERT_EQ(who.exit_code(), 0) << who.describe();
  ASSERT_EQ(who.of_type("account").size(), 1u) << who.describe();
  EXPECT_EQ(who.of_type("account")[0]["device_id"], 2) << who.describe();
  EXPECT_EQ(who.of_type("account")[0]["phone"], alice.phone) << who.describe();
  EXPECT_EQ(who.of_type("account")[0]["devices"], nlohmann::json::array({1, 2})) << who.describe();

  CliResult sent = send_message(bob, alice.phone, "to both of alice's devices");
  ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  ASSERT_EQ(sent.of_type("sent").size(), 1u) << sent.describe();
  EXPECT_EQ(sent.of_type("sent")[0]["devices"], nlohmann::json::array({1, 2})) << sent.describe();

  // Device 1 first: it must not consume device 2's copy.
  auto at_first = receive_messages(alice, 1);
  ASSERT_EQ(at_first.size(), 1u);
  EXPECT_EQ(at_first[0]["body"], "to both of alice's devices");
  EXPECT_EQ(at_first[0]["from"], bob.phone);
  EXPECT_TRUE(receive_messages(alice, 0).empty());

  auto at_second = receive_messages(alice2, 1);
  ASSERT_EQ(at_second.size(), 1u);
  EXPECT_EQ(at_second[0]["body"], "to both of alice's devices");
  EXPECT_EQ(at_second[0]["from"], bob.phone);
  EXPECT_TRUE(receive_messages(alice2, 0).empty());

  // The second device sends too, and Bob sees it as Alice.
  CliResult from_second = send_message(alice2, bob.phone, "from alice's second device");
  ASSERT_EQ(from_second.exit_code(), 0) << from_second.describe();
  auto at_bob = receive_messages(bob, 1);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(at_bob[0]["body"], "from alice's second device");
  EXPECT_EQ(at_bob[0]["from"], alice.phone);
  EXPECT_EQ(at_bob[0]["from_device"], 2);
}

}  // namespace
}  // namespace bulwark::e2e
