// A commit whose answer was lost (docs/GROUPS.md "A lost answer"): the connection drops after
// the delivery service accepted the commit, before the client adopted it. The device resolves
// its pending commit on its next send or receive, ends in the others' epoch and shows its
// roster change once; when another member's commit won instead, the pending state is dropped
// and the winner's commit processed.
#include <gtest/gtest.h>

#include "client/detail/group_ops.h"
#include "group_world.h"

namespace bulwark::e2e {
namespace {

using Kind = client::GroupEvent::Kind;
using client::detail::CommitHookPoint;

// Makes every commit of this process fail at `point` as if the connection had dropped there,
// until destroyed.
class DroppedCommitAnswer {
 public:
  explicit DroppedCommitAnswer(CommitHookPoint point) {
    client::detail::commit_test_hook() = [point](CommitHookPoint at) -> Result<void> {
      if (at == point) return fail(Errc::network, "test: the connection dropped");
      return {};
    };
  }
  ~DroppedCommitAnswer() { client::detail::commit_test_hook() = nullptr; }
  DroppedCommitAnswer(const DroppedCommitAnswer&) = delete;
  DroppedCommitAnswer& operator=(const DroppedCommitAnswer&) = delete;
};

std::uint64_t lost_answer_epoch(GroupDevice& device, const std::string& group) {
  auto groups = device.groups().list();
  if (!groups) return 0;
  for (const auto& summary : groups.value())
    if (summary.name == group) return summary.epoch;
  return 0;
}

bool lost_answer_has_text(const std::vector<client::GroupEvent>& events, const std::string& text) {
  for (const auto& event : events)
    if (event.kind == Kind::message && event.text == text) return true;
  return false;
}

// Roster events that added `account`.
std::size_t lost_answer_additions(const std::vector<client::GroupEvent>& events,
                                  const std::string& account) {
  std::size_t count = 0;
  for (const auto& event : events) {
    if (event.kind != Kind::roster) continue;
    for (const auto& change : event.changes)
      if (change.kind == client::RosterChange::Kind::added && change.subject.account == account)
        ++count;
  }
  return count;
}

std::vector<client::GroupEvent> receive_text(GroupWorld& world, GroupDevice& device,
                                             const std::string& text) {
  return world.receive_until(device, [&text](const std::vector<client::GroupEvent>& events) {
    return lost_answer_has_text(events, text);
  });
}

// Alice and Bob in group "g" at epoch 1; then Alice adds Carol and the answer is lost after the
// server accepted the commit: Bob and Carol are in epoch 2, Alice still in epoch 1.
struct LostAnswerWorld {
  TempDir tmp;
  ServerProcess server{tmp.path() / "srv", group_server_options()};
  GroupWorld world{tmp, server};
  GroupDevice& alice = world.register_account("alice", 80);
  GroupDevice& bob = world.register_account("bob", 81);
  GroupDevice& carol = world.register_account("carol", 82);

  void lose_the_answer_to_adding_carol() {
    ASSERT_TRUE(carol.client->whoami());
    ASSERT_TRUE(alice.groups().create("g"));
    ASSERT_TRUE(alice.groups().add("g", bob.phone));
    ASSERT_FALSE(world.receive_kind(bob, Kind::joined).empty());
    {
      DroppedCommitAnswer lost(CommitHookPoint::after_accepted);
      auto added = alice.groups().add("g", carol.phone);
      ASSERT_FALSE(added);
      EXPECT_EQ(added.error().code, Errc::network);
    }
    EXPECT_EQ(lost_answer_epoch(alice, "g"), 1u) << "not adopted without an answer";
    ASSERT_FALSE(world.receive_kind(carol, Kind::joined).empty()) << "the server accepted it";
    ASSERT_FALSE(world.receive_kind(bob, Kind::roster).empty());
    EXPECT_EQ(lost_answer_epoch(bob, "g"), 2u);
  }
};

TEST(GroupsLostAnswerTest, TheNextSendAdoptsTheAcceptedCommitAndMessagesFlowBothWays) {
  LostAnswerWorld w;
  ASSERT_NO_FATAL_FAILURE(w.lose_the_answer_to_adding_carol());
  w.world.reopen(w.alice);  // the pending commit is on disk: a restart changes nothing

  auto sent = w.alice.groups().send("g", "after the lost answer");
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->epoch, 2u);
  EXPECT_EQ(sent->devices, 2u);
  EXPECT_EQ(lost_answer_epoch(w.alice, "g"), 2u);
  EXPECT_TRUE(lost_answer_has_text(receive_text(w.world, w.bob, "after the lost answer"),
                                   "after the lost answer"));
  EXPECT_TRUE(lost_answer_has_text(receive_text(w.world, w.carol, "after the lost answer"),
                                   "after the lost answer"));

  ASSERT_TRUE(w.carol.groups().send("g", "carol replies"));
  auto alice_events = receive_text(w.world, w.alice, "carol replies");
  EXPECT_TRUE(lost_answer_has_text(alice_events, "carol replies"));
  auto more = w.world.drain(w.alice);
  alice_events.insert(alice_events.end(), more.begin(), more.end());
  EXPECT_EQ(lost_answer_additions(alice_events, w.carol.account), 1u) << "shown once";
  for (const auto& event : alice_events) {
    if (event.kind != Kind::roster) continue;
    ASSERT_TRUE(event.from);
    EXPECT_TRUE(event.from->you) << "Alice's own change";
  }
  auto members = w.alice.groups().members("g");
  ASSERT_TRUE(members);
  EXPECT_EQ(members->size(), 3u);
}

TEST(GroupsLostAnswerTest, AMessageOfTheNextEpochAdoptsTheAcceptedCommitOnReceive) {
  LostAnswerWorld w;
  ASSERT_NO_FATAL_FAILURE(w.lose_the_answer_to_adding_carol());

  ASSERT_TRUE(w.bob.groups().send("g", "bob in epoch 2"));
  auto alice_events = receive_text(w.world, w.alice, "bob in epoch 2");
  EXPECT_TRUE(lost_answer_has_text(alice_events, "bob in epoch 2"));
  EXPECT_EQ(lost_answer_epoch(w.alice, "g"), 2u);
  EXPECT_EQ(lost_answer_additions(alice_events, w.carol.account), 1u);
  for (const auto& event : alice_events) EXPECT_NE(event.kind, Kind::problem) << event.detail;

  // Then Alice commits again, in epoch 2: everyone follows.
  GroupDevice& dave = w.world.register_account("dave", 83);
  ASSERT_TRUE(dave.client->whoami());
  auto added = w.alice.groups().add("g", dave.phone);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->group.epoch, 3u);
  ASSERT_FALSE(w.world.receive_kind(dave, Kind::joined).empty());
  ASSERT_TRUE(dave.groups().send("g", "dave joined"));
  EXPECT_TRUE(lost_answer_has_text(receive_text(w.world, w.carol, "dave joined"), "dave joined"));
  EXPECT_TRUE(lost_answer_has_text(receive_text(w.world, w.alice, "dave joined"), "dave joined"));
}

TEST(GroupsLostAnswerTest, AGroupThatMovedOnTwiceIsFollowedThroughTheQueue) {
  LostAnswerWorld w;
  ASSERT_NO_FATAL_FAILURE(w.lose_the_answer_to_adding_carol());
  // Bob commits in epoch 2 (to Alice too): the server is at 3, so the epoch-2 token can no
  // longer be checked; Bob's commit of epoch 2 in Alice's queue proves hers won epoch 1.
  GroupDevice& dave = w.world.register_account("dave", 85);
  ASSERT_TRUE(dave.client->whoami());
  auto bob_added = w.bob.groups().add("g", dave.phone);
  ASSERT_TRUE(bob_added) << bob_added.error().describe();
  EXPECT_EQ(bob_added->group.epoch, 3u);

  auto sent = w.alice.groups().send("g", "two epochs later");
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->epoch, 3u);
  EXPECT_EQ(sent->devices, 3u);
  ASSERT_FALSE(w.world.receive_kind(dave, Kind::joined).empty());
  EXPECT_TRUE(
      lost_answer_has_text(receive_text(w.world, dave, "two epochs later"), "two epochs later"));
  auto alice_events = w.world.drain(w.alice);
  EXPECT_EQ(lost_answer_additions(alice_events, w.carol.account), 1u);
  EXPECT_EQ(lost_answer_additions(alice_events, dave.account), 1u);
  for (const auto& event : alice_events) EXPECT_NE(event.kind, Kind::problem) << event.detail;
}

TEST(GroupsLostAnswerTest, WhenAnotherMembersCommitWonThePendingStateIsDropped) {
  LostAnswerWorld w;
  GroupDevice& dave = w.world.register_account("dave", 84);
  ASSERT_TRUE(w.carol.client->whoami());
  ASSERT_TRUE(dave.client->whoami());
  ASSERT_TRUE(w.alice.groups().create("g"));
  ASSERT_TRUE(w.alice.groups().add("g", w.bob.phone));
  ASSERT_FALSE(w.world.receive_kind(w.bob, Kind::joined).empty());
  {
    // Alice's commit never reaches the server; Bob's wins epoch 1.
    DroppedCommitAnswer lost(CommitHookPoint::before_send);
    ASSERT_FALSE(w.alice.groups().add("g", w.carol.phone));
  }
  auto bob_added = w.bob.groups().add("g", dave.phone);
  ASSERT_TRUE(bob_added) << bob_added.error().describe();
  EXPECT_EQ(bob_added->group.epoch, 2u);

  auto sent = w.alice.groups().send("g", "alice after bob's commit");
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->epoch, 2u);
  EXPECT_EQ(sent->devices, 2u) << "Bob and Dave, not Carol";
  ASSERT_FALSE(w.world.receive_kind(dave, Kind::joined).empty());
  EXPECT_TRUE(lost_answer_has_text(receive_text(w.world, dave, "alice after bob's commit"),
                                   "alice after bob's commit"));
  auto alice_events = w.world.drain(w.alice);
  EXPECT_EQ(lost_answer_additions(alice_events, dave.account), 1u) << "Bob's commit, shown";
  EXPECT_EQ(lost_answer_additions(alice_events, w.carol.account), 0u) << "hers was dropped";
  auto members = w.alice.groups().members("g");
  ASSERT_TRUE(members);
  EXPECT_EQ(members->size(), 3u);
  for (const auto& event : w.world.drain(w.carol)) EXPECT_NE(event.kind, Kind::joined);

  // The dropped commit does not come back: Alice adds Carol again, in epoch 2.
  auto added = w.alice.groups().add("g", w.carol.phone);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->group.epoch, 3u);
}

TEST(GroupsLostAnswerTest, ACommitThatNeverArrivedIsDroppedAndTheAddRetried) {
  LostAnswerWorld w;
  ASSERT_TRUE(w.carol.client->whoami());
  ASSERT_TRUE(w.alice.groups().create("g"));
  ASSERT_TRUE(w.alice.groups().add("g", w.bob.phone));
  {
    DroppedCommitAnswer lost(CommitHookPoint::before_send);
    ASSERT_FALSE(w.alice.groups().add("g", w.carol.phone));
  }
  auto added = w.alice.groups().add("g", w.carol.phone);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->group.epoch, 2u);
  EXPECT_EQ(added->changes.size(), 1u);
  ASSERT_FALSE(w.world.receive_kind(w.carol, Kind::joined).empty());
  auto alice_events = w.world.drain(w.alice);
  EXPECT_EQ(lost_answer_additions(alice_events, w.carol.account), 0u)
      << "nothing adopted: the change was the new add's, returned to its caller";
}

}  // namespace
}  // namespace bulwark::e2e
