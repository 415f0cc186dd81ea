// MLS (RFC 9420) against a hostile delivery service, live, over the peer protocol alone
// (tests/interop/mls/README.md). The test is the delivery service: it forwards what it likes
// to whom it likes. It cannot make members accept what no member sent, nor bring back an old
// epoch, and when it splits the group between two commits of one epoch the split is visible
// (the epoch authenticators differ, RFC 9420 §8.7) and the branches cannot read each other.
//
// Run for every pairing of peer kinds and for cipher suites 1 and 3. In a pairing (X, Y) the
// members alternate X, Y, X, Y (Alice, Bob, Carol, Dave) and the outsider Eve is Y, so each
// kind is both the victim and the forger. Deterministic apart from ts-mls's own randomness.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mls_driver.h"
#include "mls_scenario.h"

namespace bulwark::interop {
namespace {

class MlsAdversarialTest : public MlsScenarioTest {
 protected:
  MlsAdversarialTest() { group_id_ = "bulwark-mls-adversarial"; }
};

// Eve runs her own group under our group id and brings it to our epoch. Her commit and her
// application message of that epoch, forwarded to our members, are refused; ours still work.
TEST_P(MlsAdversarialTest, CommitFromANonMemberIsRefused) {
  auto& alice = peer("alice", GetParam().first);
  auto& bob = peer("bob", GetParam().second);
  auto& eve = peer("eve", GetParam().second);
  auto& mallory = peer("mallory", GetParam().first);
  auto ours = form(alice, {&bob});
  ASSERT_EQ(eve.create_group(group_id_), 0u);
  auto eves_add = eve.add(group_id_, {mallory.key_package()});
  ASSERT_EQ(eves_add.epoch, ours.epoch);
  ASSERT_EQ(mallory.join(eves_add), group_id_);

  auto forged_update = eve.update(group_id_);
  auto forged_remove = eve.remove(group_id_, {1});
  auto forged_text = mallory.encrypt(group_id_, "not from a member");
  for (auto* victim : {&alice, &bob}) {
    EXPECT_TRUE(rejected(*victim, forged_update.commit)) << victim->name() << ", update";
    EXPECT_TRUE(rejected(*victim, forged_remove.commit)) << victim->name() << ", remove";
    EXPECT_TRUE(rejected(*victim, forged_text)) << victim->name() << ", application";
    EXPECT_TRUE(rejected(*victim, eves_add.commit)) << victim->name() << ", Eve's add";
  }
  EXPECT_EQ(same_state({&alice, &bob}), ours);
  auto update = bob.update(group_id_);
  EXPECT_TRUE(accepted(alice, update.commit, "commit"));
  same_state({&alice, &bob});
  talk(alice, {&bob});
  talk(bob, {&alice});
}

// The delivery service hands Dave's KeyPackage to Eve, whose group has our group id. Dave's
// Welcome from Eve puts him in Eve's group: same id, another epoch authenticator, and neither
// group reads the other's messages.
TEST_P(MlsAdversarialTest, WelcomeFromANonMemberJoinsTheOtherGroup) {
  auto& alice = peer("alice", GetParam().first);
  auto& bob = peer("bob", GetParam().second);
  auto& eve = peer("eve", GetParam().second);
  auto& dave = peer("dave", GetParam().first);
  auto ours = form(alice, {&bob});
  ASSERT_EQ(eve.create_group(group_id_), 0u);
  auto eves_add = eve.add(group_id_, {dave.key_package()});
  ASSERT_EQ(dave.join(eves_add), group_id_);

  auto daves = dave.state(group_id_);
  EXPECT_EQ(daves.epoch, ours.epoch);
  EXPECT_NE(daves.epoch_authenticator, ours.epoch_authenticator);
  EXPECT_EQ(daves.members, (std::vector<MlsMember>{{0, "eve"}, {1, "dave"}}));
  auto from_dave = dave.encrypt(group_id_, "dave in the wrong group");
  EXPECT_TRUE(rejected(alice, from_dave));
  EXPECT_TRUE(rejected(bob, from_dave));
  auto from_alice = alice.encrypt(group_id_, "alice to her group");
  EXPECT_TRUE(rejected(dave, from_alice));
  EXPECT_TRUE(accepted(bob, from_alice, "application"));
}

// Commits from earlier epochs, replayed by the delivery service, are refused by members and by
// a member who joined later; the group carries on.
TEST_P(MlsAdversarialTest, CommitReplayedFromAnOlderEpochIsRefused) {
  auto& alice = peer("alice", GetParam().first);
  auto& bob = peer("bob", GetParam().second);
  auto& carol = peer("carol", GetParam().first);
  form(alice, {&bob});
  auto update = alice.update(group_id_);
  ASSERT_TRUE(accepted(bob, update.commit, "commit"));
  auto add = bob.add(group_id_, {carol.key_package()});
  ASSERT_TRUE(accepted(alice, add.commit, "commit"));
  ASSERT_EQ(carol.join(add), group_id_);
  auto now = same_state({&alice, &bob, &carol});
  ASSERT_EQ(now.epoch, 3u);

  EXPECT_TRUE(rejected(bob, update.commit)) << "Bob, epoch 1 update";
  EXPECT_TRUE(rejected(alice, add.commit)) << "Alice, epoch 2 add";
  EXPECT_TRUE(rejected(carol, update.commit)) << "Carol, epoch 1 update";
  EXPECT_TRUE(rejected(carol, add.commit)) << "Carol, the add that brought her in";
  EXPECT_EQ(same_state({&alice, &bob, &carol}), now);
  talk(carol, {&alice, &bob});
}

// Alice and Bob commit in the same epoch; the delivery service gives Alice's commit to Carol
// and Bob's to Dave. Each branch agrees within itself, the epoch authenticators show the fork,
// and each branch refuses the other's next application message and commit.
TEST_P(MlsAdversarialTest, ForkedCommitsAreVisibleAndTheBranchesCannotTalk) {
  auto& alice = peer("alice", GetParam().first);
  auto& bob = peer("bob", GetParam().second);
  auto& carol = peer("carol", GetParam().first);
  auto& dave = peer("dave", GetParam().second);
  auto before = form(alice, {&bob, &carol, &dave});
  auto alices = alice.update(group_id_);
  auto bobs = bob.update(group_id_);
  ASSERT_EQ(alices.epoch, bobs.epoch);
  ASSERT_TRUE(accepted(carol, alices.commit, "commit"));
  ASSERT_TRUE(accepted(dave, bobs.commit, "commit"));

  auto branch_a = same_state({&alice, &carol});
  auto branch_b = same_state({&bob, &dave});
  EXPECT_EQ(branch_a.epoch, before.epoch + 1);
  EXPECT_EQ(branch_b.epoch, before.epoch + 1);
  EXPECT_NE(branch_a.epoch_authenticator, branch_b.epoch_authenticator);
  EXPECT_NE(branch_a.epoch_authenticator, before.epoch_authenticator);

  auto from_carol = carol.encrypt(group_id_, "branch A");
  auto from_dave = dave.encrypt(group_id_, "branch B");
  EXPECT_TRUE(rejected(dave, from_carol));
  EXPECT_TRUE(rejected(bob, from_carol));
  EXPECT_TRUE(rejected(carol, from_dave));
  EXPECT_TRUE(rejected(alice, from_dave));
  EXPECT_TRUE(accepted(alice, from_carol, "application"));
  EXPECT_TRUE(accepted(bob, from_dave, "application"));

  auto next_a = carol.update(group_id_);
  auto next_b = dave.update(group_id_);
  EXPECT_TRUE(rejected(bob, next_a.commit));
  EXPECT_TRUE(rejected(dave, next_a.commit));
  EXPECT_TRUE(rejected(alice, next_b.commit));
  EXPECT_TRUE(rejected(carol, next_b.commit));
  EXPECT_TRUE(accepted(alice, next_a.commit, "commit"));
  EXPECT_TRUE(accepted(bob, next_b.commit, "commit"));
  EXPECT_NE(same_state({&alice, &carol}).epoch_authenticator,
            same_state({&bob, &dave}).epoch_authenticator);
}

INSTANTIATE_TEST_SUITE_P(Pairings, MlsAdversarialTest, ::testing::ValuesIn(mls_cases()),
                         mls_case_name);

}  // namespace
}  // namespace bulwark::interop
