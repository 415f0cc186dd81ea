// TreeKEM beyond the vectors: groups grown and shrunk by commits (every member's decap and
// every joiner's setup checked at each step by the harness), joiners left out of the path's
// ciphertexts, refusal of a committer whose path secrets do not give its public keys, and
// state left untouched by a failed decap.
#include "protocol/mls/tree/treekem.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/mls/tree/tree_validation.h"
#include "support/tree_group.h"

namespace bulwark::protocol::mls {
namespace {

namespace tg = tree_group;

// A joiner's full check of the group's current tree.
void treekem_unit_expect_valid(const tg::Group& group) {
  const auto valid = validate_tree(group.tree(), group.context());
  EXPECT_TRUE(valid) << valid.error().describe();
}

TEST(MlsTreeKemTest, MembersAgreeThroughAddsRemovesAndPathlessAdds) {
  tg::Group group(11);
  group.add(LeafIndex(0), 1);
  group.add(LeafIndex(1), 2);
  group.add(LeafIndex(2), 4);
  treekem_unit_expect_valid(group);
  group.remove(LeafIndex(4), LeafIndex(1));
  group.add_without_path(3);  // leaves 1, 7, 8: unmerged in their ancestors
  treekem_unit_expect_valid(group);
  group.commit(LeafIndex(8), {});
  group.remove(LeafIndex(0), LeafIndex(5));
  group.add_without_path(1);
  group.commit(LeafIndex(5), {});  // the new member commits
  treekem_unit_expect_valid(group);
  EXPECT_EQ(group.tree().member_count(), 10u);
}

TEST(MlsTreeKemTest, JoinersGetNoPathCiphertexts) {
  tg::Group group(12);
  group.add(LeafIndex(0), 3);
  PublicTree tree = group.tree();
  std::vector<LeafIndex> joiners;
  for (int i = 0; i < 3; ++i) {
    joiners.push_back(tree.add_leaf(tg::make_member(group.rng(), "j").leaf).value());
  }
  ASSERT_EQ(joiners, (std::vector<LeafIndex>{LeafIndex(4), LeafIndex(5), LeafIndex(6)}));
  const PublicTree before = tree;
  TreeKemPrivate state = group.seat(LeafIndex(0))->state.clone();
  const auto made = state.encap(tree, *before.leaf(LeafIndex(0)), group.seat(LeafIndex(0))->signer,
                                group.context(), joiners, group.rng());
  ASSERT_TRUE(made) << made.error().describe();
  // Leaf 0's path is nodes 1, 3, 7; the root's copath child (node 11) covers only joiners.
  ASSERT_EQ(made->path.nodes.size(), 3u);
  EXPECT_EQ(made->path.nodes[0].encrypted_path_secret.size(), 1u);  // leaf 1
  EXPECT_EQ(made->path.nodes[1].encrypted_path_secret.size(), 2u);  // leaves 2, 3
  EXPECT_EQ(made->path.nodes[2].encrypted_path_secret.size(), 0u);
  EXPECT_EQ(before.resolution(NodeIndex(11)).size(), 3u);
  // A member who does not leave the joiners out miscounts the ciphertexts and refuses.
  PublicTree merged = before;
  ASSERT_TRUE(merged.merge_update_path(LeafIndex(0), made->path));
  TreeKemPrivate other = group.seat(LeafIndex(3))->state.clone();
  const auto miscounted = other.decap(merged, LeafIndex(0), made->path, made->group_context, {});
  ASSERT_FALSE(miscounted);
  EXPECT_EQ(miscounted.error().code, Errc::invalid_message);
  EXPECT_TRUE(other.decap(merged, LeafIndex(0), made->path, made->group_context, joiners));
  // The committer's own secrets for the Welcome: one per path node, the root's for leaf 4.
  ASSERT_EQ(made->path_secrets.size(), 3u);
  EXPECT_NE(made->path_secret_at(NodeIndex(7)), nullptr);
  EXPECT_EQ(made->path_secret_at(NodeIndex(5)), nullptr);
}

struct TreeKemUnitCommit {
  PublicTree merged;
  EncapResult made;
};

// Leaf 1 commits in a 6-member group; the result merged into a copy of the old tree.
TreeKemUnitCommit treekem_unit_commit(tg::Group& group) {
  PublicTree after = group.tree();
  TreeKemPrivate state = group.seat(LeafIndex(1))->state.clone();
  auto made = state.encap(after, *group.tree().leaf(LeafIndex(1)), group.seat(LeafIndex(1))->signer,
                          group.context(), {}, group.rng());
  EXPECT_TRUE(made);
  PublicTree merged = group.tree();
  EXPECT_TRUE(merged.merge_update_path(LeafIndex(1), made->path));
  return TreeKemUnitCommit{std::move(merged), std::move(*made)};
}

TEST(MlsTreeKemTest, APathWhoseSecretsDoNotGiveItsKeysIsRefused) {
  tg::Group group(13);
  group.add(LeafIndex(0), 5);
  TreeKemUnitCommit commit = treekem_unit_commit(group);
  const TreeKemPrivate& original = group.seat(LeafIndex(4))->state;
  const std::vector<NodeIndex> known = original.known_nodes();

  // The root's public key is not the one its path secret gives.
  UpdatePath lying = commit.made.path;
  lying.nodes.back().encryption_key =
      to_bytes(crypto::x25519_keypair(group.rng()).public_key.bytes());
  TreeKemPrivate state = original.clone();
  auto got = state.decap(commit.merged, LeafIndex(1), lying, commit.made.group_context, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::auth_failed);
  EXPECT_EQ(state.known_nodes(), known);  // unchanged by the failure

  // A ciphertext that does not open, and a different group context.
  UpdatePath garbled = commit.made.path;
  for (auto& node : garbled.nodes) {
    for (auto& sealed : node.encrypted_path_secret) sealed.ciphertext[0] ^= std::byte{1};
  }
  got = state.decap(commit.merged, LeafIndex(1), garbled, commit.made.group_context, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::auth_failed);
  Bytes other_context = commit.made.group_context;
  other_context.back() ^= std::byte{1};
  got = state.decap(commit.merged, LeafIndex(1), commit.made.path, other_context, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, Errc::auth_failed);
  EXPECT_EQ(state.known_nodes(), known);

  // The honest path still works on the same state afterwards.
  got = state.decap(commit.merged, LeafIndex(1), commit.made.path, commit.made.group_context, {});
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(to_bytes(got->commit_secret.view()), to_bytes(commit.made.commit_secret.view()));
  EXPECT_TRUE(state.check_consistent(commit.merged));
}

TEST(MlsTreeKemTest, DecapRefusesPathsOfTheWrongShape) {
  tg::Group group(14);
  group.add(LeafIndex(0), 5);
  TreeKemUnitCommit commit = treekem_unit_commit(group);
  TreeKemPrivate state = group.seat(LeafIndex(4))->state.clone();
  UpdatePath extra = commit.made.path;
  extra.nodes.front().encrypted_path_secret.push_back(extra.nodes.front().encrypted_path_secret[0]);
  EXPECT_EQ(
      state.decap(commit.merged, LeafIndex(1), extra, commit.made.group_context, {}).error().code,
      Errc::invalid_message);
  UpdatePath shorter = commit.made.path;
  shorter.nodes.pop_back();
  EXPECT_EQ(
      state.decap(commit.merged, LeafIndex(1), shorter, commit.made.group_context, {}).error().code,
      Errc::invalid_message);
  EXPECT_EQ(
      state.decap(commit.merged, LeafIndex(4), commit.made.path, commit.made.group_context, {})
          .error()
          .code,
      Errc::invalid_argument);  // from itself
}

TEST(MlsTreeKemTest, EncapNeedsTheLeafsSigner) {
  tg::Group group(15);
  group.add(LeafIndex(0), 2);
  PublicTree tree = group.tree();
  TreeKemPrivate state = group.seat(LeafIndex(0))->state.clone();
  const auto made = state.encap(tree, *tree.leaf(LeafIndex(0)), group.seat(LeafIndex(1))->signer,
                                group.context(), {}, group.rng());
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, Errc::invalid_argument);
  EXPECT_EQ(tree.root_hash().value(), group.tree().root_hash().value());
}

TEST(MlsTreeKemTest, ClonesAndJoinsCheckTheTree) {
  tg::Group group(16);
  group.add(LeafIndex(0), 3);
  const TreeKemPrivate& original = group.seat(LeafIndex(2))->state;
  TreeKemPrivate copy = original.clone();
  EXPECT_EQ(copy.known_nodes(), original.known_nodes());
  EXPECT_EQ(copy.leaf(), LeafIndex(2));
  // A path secret that does not give the tree's key is refused.
  EXPECT_EQ(copy.set_path_secret(group.tree(), NodeIndex(3), Bytes(32, std::byte{7})).error().code,
            Errc::invalid_message);
  EXPECT_EQ(copy.join(group.tree(), LeafIndex(0), Bytes(32, std::byte{7})).error().code,
            Errc::invalid_message);
  EXPECT_EQ(copy.known_nodes(), original.known_nodes());
  // Prune drops keys of nodes that an edit blanked.
  PublicTree tree = group.tree();
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(3)));
  copy.prune(tree);
  EXPECT_EQ(copy.known_nodes(), (std::vector<NodeIndex>{NodeIndex(4)}));
}

TEST(MlsTreeKemTest, ABulkAddedGroupOfTwoHundredCommits) {
  tg::Group group(17);
  group.add(LeafIndex(0), 199);
  EXPECT_EQ(group.tree().member_count(), 200u);
  group.commit(LeafIndex(150), {});  // encrypts to the unmerged leaves of the bulk add
  group.remove(LeafIndex(3), LeafIndex(77));
  treekem_unit_expect_valid(group);
}

}  // namespace
}  // namespace bulwark::protocol::mls
