// Channel admins with real processes: the owner names an admin by phone number (its identity
// key checked against key transparency); the admin posts with its own identity key; once
// removed it can no longer post, and what it posted before stays verified for readers.
#include <gtest/gtest.h>

#include "support/channels.h"
#include "support/kt.h"

namespace bulwark::e2e {
namespace {

TEST(ChannelAdminsTest, AnAdminPostsIsRemovedAndCanNoLongerPost) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", kt_server_options());
  Account alice = register_account(tmp, server, "alice", test_phone(64));
  Account bob = register_account(tmp, server, "bob", test_phone(65));
  Account carol = register_account(tmp, server, "carol", test_phone(66));
  create_channel(alice, "press_room");

  // Only the owner names admins.
  CliResult not_owner = channel(bob, {"admins", "press_room", "--add", carol.phone});
  EXPECT_EQ(not_owner.exit_code(), 1) << not_owner.describe();
  EXPECT_NE(error_message(not_owner).find("only the owner of @press_room"), std::string::npos)
      << not_owner.describe();

  CliResult added = channel(alice, {"admins", "press_room", "--add", bob.phone});
  ASSERT_EQ(added.exit_code(), 0) << added.describe();
  ASSERT_EQ(added.of_type("channel_admin_added").size(), 1u) << added.describe();
  EXPECT_EQ(added.of_type("channel_admin_added")[0]["seq"], 2) << added.describe();
  CliResult again = channel(alice, {"admins", "press_room", "--add", bob.phone});
  EXPECT_EQ(again.exit_code(), 1) << again.describe();
  EXPECT_NE(error_message(again).find("already an admin"), std::string::npos) << again.describe();

  CliResult listed = channel(carol, {"admins", "press_room"});
  ASSERT_EQ(listed.exit_code(), 0) << listed.describe();
  ASSERT_EQ(listed.of_type("channel_admins").size(), 1u) << listed.describe();
  EXPECT_EQ(listed.of_type("channel_admins")[0]["admins"].size(), 1u) << listed.describe();

  CliResult by_bob = channel(bob, {"post", "press_room", "-m", "bob reporting"});
  ASSERT_EQ(by_bob.exit_code(), 0) << by_bob.describe();
  EXPECT_EQ(by_bob.of_type("channel_appended")[0]["seq"], 3) << by_bob.describe();
  EXPECT_EQ(by_bob.of_type("channel_appended")[0]["signed_by"], "admin") << by_bob.describe();
  EXPECT_EQ(post_to(alice, "press_room", "alice too"), 4u);

  CliResult removed = channel(alice, {"admins", "press_room", "--remove", bob.phone});
  ASSERT_EQ(removed.exit_code(), 0) << removed.describe();
  EXPECT_EQ(removed.of_type("channel_admin_removed")[0]["seq"], 5) << removed.describe();

  CliResult refused = channel(bob, {"post", "press_room", "-m", "still here?"});
  EXPECT_EQ(refused.exit_code(), 1) << refused.describe();
  EXPECT_NE(error_message(refused).find("you are not an owner or admin of @press_room"),
            std::string::npos)
      << refused.describe();
  CliResult not_admin = channel(alice, {"admins", "press_room", "--remove", bob.phone});
  EXPECT_EQ(not_admin.exit_code(), 1) << not_admin.describe();

  CliResult read = channel(carol, {"read", "press_room"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  auto entries = entries_of(read);
  ASSERT_EQ(entries.size(), 5u) << read.describe();
  for (const auto& line : entries) EXPECT_EQ(line["verified"], true) << line.dump();
  EXPECT_EQ(entry(entries, 2)["kind"], "admin_add");
  EXPECT_EQ(entry(entries, 3)["text"], "bob reporting");
  EXPECT_EQ(entry(entries, 3)["signed_by"], "admin");
  EXPECT_EQ(entry(entries, 3)["signer_key"], entry(entries, 2)["admin_key"]);
  EXPECT_EQ(entry(entries, 5)["kind"], "admin_remove");
  CliResult none = channel(carol, {"admins", "press_room"});
  ASSERT_EQ(none.exit_code(), 0) << none.describe();
  EXPECT_TRUE(none.of_type("channel_admins")[0]["admins"].empty()) << none.describe();
}

}  // namespace
}  // namespace bulwark::e2e
