// A longer life of one MLS (RFC 9420) group across peer kinds: a bulk add, updates, a removal
// that shrinks the tree, adds into blank leaves by a pathless committer (ts-mls sends Adds
// without an UpdatePath, so its newcomers sit in unmerged_leaves until a later path covers
// them), a double removal, and commits by members who joined late. After every epoch all
// members agree on the state and every member's message reaches every other member; members
// removed are locked out of the next epoch.
//
// Members alternate kinds in creation order (mls_scenario.h), so for a mixed pairing every
// step's committer and receivers span both implementations.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mls_driver.h"
#include "mls_scenario.h"

namespace bulwark::interop {
namespace {

class MlsChurnTest : public MlsScenarioTest {
 protected:
  MlsChurnTest() { group_id_ = "bulwark-mls-churn"; }

  // Every receiver processes the commit; then all of `members` agree on the committer's epoch
  // and talk.
  void apply(const MlsCommit& commit, const std::vector<MlsPeer*>& receivers,
             const std::vector<MlsPeer*>& members) {
    for (auto* receiver : receivers) {
      EXPECT_TRUE(accepted(*receiver, commit.commit, "commit")) << "epoch " << commit.epoch;
    }
    EXPECT_EQ(same_state(members).epoch, commit.epoch);
    talk_all(members);
  }

  // Every member of the current epoch sends; `outsider` (removed, or never told of the
  // commit that removed it) reads none of it.
  void locked_out(MlsPeer& outsider, const std::vector<MlsPeer*>& members) {
    for (auto* sender : members) {
      EXPECT_TRUE(rejected(outsider, sender->encrypt(group_id_, "not for " + outsider.name())))
          << outsider.name() << " read " << sender->name();
    }
  }
};

TEST_P(MlsChurnTest, GroupSurvivesAddsUpdatesAndRemovesAcrossKinds) {
  auto& alice = peer("alice");
  auto& bob = peer("bob");
  auto& carol = peer("carol");
  auto& dave = peer("dave");
  auto& erin = peer("erin");
  auto& frank = peer("frank");
  auto& grace = peer("grace");
  auto formed = form(alice, {&bob, &carol, &dave, &erin});
  ASSERT_EQ(formed.members.size(), 5u);
  talk_all({&alice, &bob, &carol, &dave, &erin});

  apply(bob.update(group_id_), {&alice, &carol, &dave, &erin},
        {&alice, &bob, &carol, &dave, &erin});
  // Erin is the last leaf: removing her truncates the tree to four leaves.
  apply(carol.remove(group_id_, {4}), {&alice, &bob, &dave}, {&alice, &bob, &carol, &dave});
  locked_out(erin, {&alice, &bob, &carol, &dave});

  // Frank takes leaf 4 again (the tree grows back to eight leaves) and commits at once.
  auto add_frank = dave.add(group_id_, {frank.key_package()});
  ASSERT_EQ(frank.join(add_frank), group_id_);
  apply(add_frank, {&alice, &bob, &carol}, {&alice, &bob, &carol, &dave, &frank});
  apply(frank.update(group_id_), {&alice, &bob, &carol, &dave},
        {&alice, &bob, &carol, &dave, &frank});

  auto remove_two = alice.remove(group_id_, {1, 3});
  apply(remove_two, {&carol, &frank}, {&alice, &carol, &frank});
  locked_out(bob, {&alice, &carol, &frank});
  locked_out(dave, {&alice, &carol, &frank});

  // Two newcomers in one commit take the leaves Bob and Dave left.
  auto& heidi = peer("heidi");
  auto add_two = carol.add(group_id_, {grace.key_package(), heidi.key_package()});
  ASSERT_EQ(grace.join(add_two), group_id_);
  ASSERT_EQ(heidi.join(add_two), group_id_);
  apply(add_two, {&alice, &frank}, {&alice, &carol, &frank, &grace, &heidi});
  apply(grace.update(group_id_), {&alice, &carol, &frank, &heidi},
        {&alice, &carol, &frank, &grace, &heidi});
  auto last = same_state({&alice, &carol, &frank, &grace, &heidi});
  EXPECT_EQ(last.epoch, 8u);
  EXPECT_EQ(last.members,
            (std::vector<MlsMember>{
                {0, "alice"}, {1, "grace"}, {2, "carol"}, {3, "heidi"}, {4, "frank"}}));
}

// The shape README.md reports ts-mls joiners refusing (its join-time unmerged_leaves check is
// stricter than RFC 9420 §7.9.2): 8 members, an update by leaf 0, a commit removing leaves 1
// and 5, then a commit adding two members into those leaves. When ts-mls commits that Add
// without a path, the root lists [1, 5] while nodes 1 and 3 list [1], and its own newcomers
// cannot join. Bulwark commits Adds with an UpdatePath, which leaves no unmerged leaves on
// the committer's direct path, so ts-mls newcomers join a Bulwark committer's group of the
// same history. Run for Bulwark as the committer only; the other members are ts-mls.
class MlsChurnShapeTest : public MlsChurnTest {};

TEST_P(MlsChurnShapeTest, TsMlsNewcomersJoinTheUnmergedLeavesShapeWhenBulwarkCommits) {
  auto& alice = peer("alice", GetParam().first);
  std::vector<MlsPeer*> others;
  for (const char* name : {"bob", "carol", "dave", "erin", "frank", "grace", "heidi"}) {
    others.push_back(&peer(name, "ts-mls"));
  }
  form(alice, others);
  std::vector<MlsPeer*> everyone = {&alice};
  everyone.insert(everyone.end(), others.begin(), others.end());
  apply(alice.update(group_id_), others, everyone);
  auto remove = alice.remove(group_id_, {1, 5});
  std::vector<MlsPeer*> stay = {&alice, others[1], others[2], others[3], others[5], others[6]};
  apply(remove, {others[1], others[2], others[3], others[5], others[6]}, stay);

  auto& ivan = peer("ivan", "ts-mls");
  auto& judy = peer("judy", "ts-mls");
  auto add = alice.add(group_id_, {ivan.key_package(), judy.key_package()});
  ASSERT_EQ(ivan.join(add), group_id_);
  ASSERT_EQ(judy.join(add), group_id_);
  std::vector<MlsPeer*> receivers(stay.begin() + 1, stay.end());
  stay.insert(stay.end(), {&ivan, &judy});
  apply(add, receivers, stay);
  EXPECT_EQ(same_state(stay).members.size(), 8u);
}

INSTANTIATE_TEST_SUITE_P(Pairings, MlsChurnTest, ::testing::ValuesIn(mls_cases()), mls_case_name);
INSTANTIATE_TEST_SUITE_P(Suites, MlsChurnShapeTest,
                         ::testing::Values(MlsCase{"bulwark", "ts-mls", 1},
                                           MlsCase{"bulwark", "ts-mls", 3}),
                         mls_case_name);

}  // namespace
}  // namespace bulwark::interop
