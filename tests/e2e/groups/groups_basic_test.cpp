// MLS groups end to end through a real server (client/groups.h): three accounts create a
// group, add, talk both ways, see who changed the roster, remove and leave; an account with two
// devices is added whole.
#include <gtest/gtest.h>

#include "group_world.h"

namespace bulwark::e2e {
namespace {

using Kind = client::GroupEvent::Kind;

const client::GroupEvent* first_of(const std::vector<client::GroupEvent>& events, Kind kind) {
  for (const auto& event : events)
    if (event.kind == kind) return &event;
  return nullptr;
}

std::vector<std::string> texts(const std::vector<client::GroupEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events)
    if (event.kind == Kind::message) out.push_back(event.text);
  return out;
}

TEST(GroupsTest, ThreeAccountsTalkAndEveryRosterChangeNamesWhoMadeIt) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 60);
  GroupDevice& bob = world.register_account("bob", 61);
  GroupDevice& carol = world.register_account("carol", 62);

  auto created = alice.groups().create("book club");
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->members, 1u);
  auto added_bob = alice.groups().add("book club", bob.phone);
  ASSERT_TRUE(added_bob) << added_bob.error().describe();
  ASSERT_EQ(added_bob->changes.size(), 1u);
  EXPECT_EQ(added_bob->changes[0].subject.account, bob.account);
  EXPECT_EQ(added_bob->changes[0].by.account, alice.account);
  EXPECT_EQ(added_bob->group.epoch, 1u);

  auto bob_events = world.receive_kind(bob, Kind::joined);
  const client::GroupEvent* joined = first_of(bob_events, Kind::joined);
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->group_name, "book club") << "the name travels in the group context";
  EXPECT_EQ(joined->group_id, created->group_id);
  ASSERT_TRUE(joined->from);
  EXPECT_EQ(joined->from->account, alice.account);
  EXPECT_EQ(joined->from->device_id, 1u);

  auto added_carol = alice.groups().add(created->group_id, carol.phone);
  ASSERT_TRUE(added_carol) << added_carol.error().describe();
  bob_events = world.receive_kind(bob, Kind::roster);
  const client::GroupEvent* roster = first_of(bob_events, Kind::roster);
  ASSERT_TRUE(roster);
  ASSERT_EQ(roster->changes.size(), 1u);
  EXPECT_EQ(roster->changes[0].kind, client::RosterChange::Kind::added);
  EXPECT_EQ(roster->changes[0].subject.account, carol.account);
  EXPECT_EQ(roster->changes[0].by.account, alice.account);
  ASSERT_TRUE(world.receive_kind(carol, Kind::joined).size() >= 1);

  // Messages both ways.
  auto sent = alice.groups().send("book club", "hello from alice");
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->devices, 2u);
  ASSERT_TRUE(carol.groups().send("book club", "carol here"));
  EXPECT_EQ(texts(world.receive_kind(bob, Kind::message, 2)),
            (std::vector<std::string>{"hello from alice", "carol here"}));
  auto alice_events = world.receive_kind(alice, Kind::message);
  const client::GroupEvent* from_carol = first_of(alice_events, Kind::message);
  ASSERT_TRUE(from_carol);
  EXPECT_EQ(from_carol->text, "carol here");
  ASSERT_TRUE(from_carol->from);
  EXPECT_EQ(from_carol->from->account, carol.account);
  auto carol_events = world.receive_kind(carol, Kind::message);
  EXPECT_EQ(texts(carol_events), std::vector<std::string>{"hello from alice"});

  auto members = bob.groups().members("book club");
  ASSERT_TRUE(members) << members.error().describe();
  ASSERT_EQ(members->size(), 3u);
  int you = 0;
  for (const auto& member : *members) you += member.you ? 1 : 0;
  EXPECT_EQ(you, 1);

  // Alice removes Bob: Bob is told who did it and his copy closes; Carol sees the change.
  auto removed = alice.groups().remove("book club", bob.phone);
  ASSERT_TRUE(removed) << removed.error().describe();
  bob_events = world.receive_kind(bob, Kind::removed);
  const client::GroupEvent* gone = first_of(bob_events, Kind::removed);
  ASSERT_TRUE(gone);
  ASSERT_TRUE(gone->from);
  EXPECT_EQ(gone->from->account, alice.account);
  auto bob_send = bob.groups().send("book club", "still here?");
  EXPECT_FALSE(bob_send);
  carol_events = world.receive_kind(carol, Kind::roster);
  roster = first_of(carol_events, Kind::roster);
  ASSERT_TRUE(roster);
  EXPECT_EQ(roster->changes.at(0).kind, client::RosterChange::Kind::removed);
  EXPECT_EQ(roster->changes.at(0).subject.account, bob.account);

  // Carol leaves: Alice commits her removal as soon as she receives the proposal.
  ASSERT_TRUE(carol.groups().leave("book club"));
  EXPECT_FALSE(carol.groups().members("book club"));
  alice_events = world.receive_kind(alice, Kind::roster);
  roster = first_of(alice_events, Kind::roster);
  ASSERT_TRUE(roster);
  ASSERT_EQ(roster->changes.size(), 1u);
  EXPECT_EQ(roster->changes[0].kind, client::RosterChange::Kind::removed);
  EXPECT_EQ(roster->changes[0].subject.account, carol.account);
  EXPECT_EQ(roster->changes[0].by.account, carol.account) << "Carol proposed it";
  members = alice.groups().members("book club");
  ASSERT_TRUE(members);
  EXPECT_EQ(members->size(), 1u);
  auto listed = alice.groups().list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).epoch, 4u);
}

TEST(GroupsTest, EveryDeviceOfAnAccountIsAddedAndTalks) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 63);
  GroupDevice& bob = world.register_account("bob", 64);
  GroupDevice& bob2 = world.add_device(bob, "bob2");
  ASSERT_TRUE(bob2.client->whoami());  // connects: uploads its KeyPackages

  ASSERT_TRUE(alice.groups().create("two devices"));
  auto added = alice.groups().add("two devices", bob.phone);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->changes.size(), 2u);
  EXPECT_EQ(added->group.members, 3u);
  ASSERT_TRUE(world.receive_kind(bob, Kind::joined).size() >= 1);
  ASSERT_TRUE(world.receive_kind(bob2, Kind::joined).size() >= 1);

  ASSERT_TRUE(bob2.groups().send("two devices", "from bob's second device"));
  auto alice_events = world.receive_kind(alice, Kind::message);
  EXPECT_EQ(texts(alice_events), std::vector<std::string>{"from bob's second device"});
  ASSERT_TRUE(alice_events[0].from);
  EXPECT_EQ(alice_events[0].from->device_id, bob2.device_id);
  EXPECT_EQ(texts(world.receive_kind(bob, Kind::message)),
            std::vector<std::string>{"from bob's second device"});

  // Bob leaves from one device: both of his devices go, his other device is told.
  ASSERT_TRUE(bob.groups().leave("two devices"));
  alice_events = world.receive_kind(alice, Kind::roster);
  ASSERT_TRUE(first_of(alice_events, Kind::roster));
  EXPECT_EQ(first_of(alice_events, Kind::roster)->changes.size(), 2u);
  auto bob2_events = world.receive_kind(bob2, Kind::removed);
  EXPECT_TRUE(first_of(bob2_events, Kind::removed));
  EXPECT_EQ(alice.groups().members("two devices")->size(), 1u);
}

}  // namespace
}  // namespace bulwark::e2e
