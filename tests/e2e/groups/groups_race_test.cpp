// Two members commit in the same epoch: the delivery service accepts one, the other gets
// CONFLICT, processes the winner's commit and commits again, so every member ends in the same
// epoch with the same roster.
#include <gtest/gtest.h>

#include "group_world.h"

namespace bulwark::e2e {
namespace {

using Kind = client::GroupEvent::Kind;

TEST(GroupsRaceTest, TheLoserOfAnEpochCatchesUpAndCommitsAgain) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 70);
  GroupDevice& bob = world.register_account("bob", 71);
  GroupDevice& carol = world.register_account("carol", 72);
  GroupDevice& dave = world.register_account("dave", 73);
  ASSERT_TRUE(carol.client->whoami());
  ASSERT_TRUE(dave.client->whoami());

  ASSERT_TRUE(alice.groups().create("race"));
  ASSERT_TRUE(alice.groups().add("race", bob.phone));
  ASSERT_TRUE(world.receive_kind(bob, Kind::joined).size() >= 1);

  // Both at epoch 1. Alice commits first; Bob, who has not received it, commits in epoch 1 too.
  auto alice_add = alice.groups().add("race", carol.phone);
  ASSERT_TRUE(alice_add) << alice_add.error().describe();
  EXPECT_EQ(alice_add->group.epoch, 2u);
  auto bob_add = bob.groups().add("race", dave.phone);
  ASSERT_TRUE(bob_add) << bob_add.error().describe();
  EXPECT_EQ(bob_add->group.epoch, 3u) << "rebuilt on top of Alice's commit";
  EXPECT_EQ(bob_add->group.members, 4u);
  // Bob processed Alice's commit while catching up: he was shown it.
  auto bob_events = world.receive_kind(bob, Kind::roster);
  ASSERT_FALSE(bob_events.empty());

  // Everyone agrees: a message from Dave (added by the retried commit) reaches Carol.
  ASSERT_TRUE(world.receive_kind(dave, Kind::joined).size() >= 1);
  ASSERT_TRUE(world.receive_kind(carol, Kind::joined).size() >= 1);
  ASSERT_TRUE(dave.groups().send("race", "dave made it"));
  auto carol_events = world.receive_until(carol, [](const std::vector<client::GroupEvent>& events) {
    for (const auto& event : events)
      if (event.kind == Kind::message) return true;
    return false;
  });
  bool got = false;
  for (const auto& event : carol_events)
    got = got || (event.kind == Kind::message && event.text == "dave made it");
  EXPECT_TRUE(got);
  EXPECT_EQ(alice.groups().send("race", "all here")->devices, 3u);
  auto alice_members = alice.groups().members("race");
  ASSERT_TRUE(world.receive_kind(alice, Kind::roster).size() >= 1);
  alice_members = alice.groups().members("race");
  ASSERT_TRUE(alice_members);
  EXPECT_EQ(alice_members->size(), 4u);
}

}  // namespace
}  // namespace bulwark::e2e
