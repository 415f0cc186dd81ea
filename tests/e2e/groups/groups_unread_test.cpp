// A member that commits before reading its queue: the group's messages of the epoch its commit
// ends, still queued for it, are read first (detail/group_ops.h take_queued), not refused
// afterwards as messages of an old epoch.
#include <gtest/gtest.h>

#include <algorithm>

#include "group_world.h"

namespace bulwark::e2e {
namespace {

using Kind = client::GroupEvent::Kind;

TEST(GroupsUnreadTest, MessagesQueuedBeforeACommitAreReadNotLost) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 93);
  GroupDevice& bob = world.register_account("bob", 94);
  GroupDevice& carol = world.register_account("carol", 95);
  GroupDevice& dave = world.register_account("dave", 96);
  ASSERT_TRUE(dave.client->whoami());

  ASSERT_TRUE(alice.groups().create("unread"));
  ASSERT_TRUE(alice.groups().add("unread", bob.phone));
  ASSERT_TRUE(alice.groups().add("unread", carol.phone));
  ASSERT_TRUE(world.receive_kind(bob, Kind::roster).size() >= 1);  // joined, then Carol added
  ASSERT_TRUE(world.receive_kind(carol, Kind::joined).size() >= 1);

  // Alice and Bob talk while Carol reads nothing; then Carol, in a new process (a fresh
  // connection, as every CLI command is), adds Dave without receiving first.
  ASSERT_TRUE(alice.groups().send("unread", "first, from alice"));
  ASSERT_TRUE(bob.groups().send("unread", "second, from bob"));
  world.reopen(carol);
  auto added = carol.groups().add("unread", dave.phone);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->group.epoch, 3u);

  const auto events = world.drain(carol);
  std::vector<std::string> texts;
  for (const auto& event : events) {
    EXPECT_NE(event.kind, Kind::problem) << event.detail;
    EXPECT_NE(event.kind, Kind::fork) << event.detail;
    if (event.kind == Kind::message) texts.push_back(event.text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"first, from alice", "second, from bob"}));

  // And the group goes on in the new epoch for everyone, Dave included.
  ASSERT_TRUE(world.receive_kind(dave, Kind::joined).size() >= 1);
  ASSERT_TRUE(dave.groups().send("unread", "dave says hi"));
  const auto bob_events = world.receive_kind(bob, Kind::message, 2);  // Alice's, then Dave's
  EXPECT_TRUE(std::any_of(bob_events.begin(), bob_events.end(), [](const auto& event) {
    return event.kind == Kind::message && event.text == "dave says hi";
  }));
}

}  // namespace
}  // namespace bulwark::e2e
