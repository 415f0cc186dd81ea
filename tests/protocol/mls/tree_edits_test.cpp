// PublicTree's edits and invariants beyond the vectors: where Add puts a member, truncation
// after Remove, unmerged leaves, the key index, merging a bad UpdatePath, structural checks
// of a tree from the wire, and cached tree hashes equal to hashes computed from scratch.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/mls/tree/public_tree.h"
#include "support/tree_group.h"

namespace bulwark::protocol::mls {
namespace {

namespace tg = tree_group;

// Every node's cached hash equals a fresh tree's (built from the wire form).
void tree_edits_expect_fresh_hashes(const PublicTree& tree) {
  const auto fresh = PublicTree::from_wire(tree.suite(), tree.to_wire());
  ASSERT_TRUE(fresh) << fresh.error().describe();
  ASSERT_EQ(fresh->node_width(), tree.node_width());
  for (std::uint32_t i = 0; i < tree.node_width(); ++i) {
    ASSERT_EQ(tree.tree_hash(NodeIndex(i)).value(), fresh->tree_hash(NodeIndex(i)).value())
        << "node " << i;
  }
}

std::vector<std::uint32_t> tree_edits_unmerged(const PublicTree& tree, std::uint32_t node) {
  const ParentNode* parent = tree.parent_node(NodeIndex(node));
  return parent ? parent->unmerged_leaves : std::vector<std::uint32_t>{};
}

TEST(MlsTreeEditsTest, AddFillsTheLeftmostBlankThenExtends) {
  tg::Group group(1);
  group.add(LeafIndex(0), 4);  // leaves 0..4 in a tree of 8
  EXPECT_EQ(group.tree().leaf_count(), 8u);
  group.remove(LeafIndex(0), LeafIndex(1));
  PublicTree tree = group.tree();
  EXPECT_EQ(tree.next_free_leaf(), LeafIndex(1));
  EXPECT_EQ(tree.add_leaf(tg::make_member(group.rng(), "a").leaf).value(), LeafIndex(1));
  // Leaf 1's non-blank ancestors now list it as unmerged.
  for (std::uint32_t node : {1u, 3u, 7u}) {
    if (tree.blank(NodeIndex(node))) continue;
    const auto list = tree_edits_unmerged(tree, node);
    EXPECT_NE(std::find(list.begin(), list.end(), 1u), list.end()) << "node " << node;
  }
  for (std::uint32_t want = 5; want < 8; ++want) {
    EXPECT_EQ(tree.add_leaf(tg::make_member(group.rng(), "b").leaf).value(), LeafIndex(want));
  }
  EXPECT_EQ(tree.leaf_count(), 8u);
  EXPECT_EQ(tree.add_leaf(tg::make_member(group.rng(), "c").leaf).value(), LeafIndex(8));
  EXPECT_EQ(tree.leaf_count(), 16u);
  EXPECT_EQ(tree.member_count(), 9u);
  tree_edits_expect_fresh_hashes(tree);
}

TEST(MlsTreeEditsTest, UnmergedLeavesStaySorted) {
  tg::Group group(2);
  group.add(LeafIndex(0), 7);
  group.remove(LeafIndex(0), LeafIndex(6));
  group.remove(LeafIndex(0), LeafIndex(2));
  PublicTree tree = group.tree();
  ASSERT_EQ(tree.add_leaf(tg::make_member(group.rng(), "x").leaf).value(), LeafIndex(2));
  ASSERT_EQ(tree.add_leaf(tg::make_member(group.rng(), "y").leaf).value(), LeafIndex(6));
  for (std::uint32_t node = 1; node < tree.node_width(); node += 2) {
    const auto list = tree_edits_unmerged(tree, node);
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end())) << "node " << node;
  }
  EXPECT_EQ(tree_edits_unmerged(tree, 7), (std::vector<std::uint32_t>{2, 6}));
}

TEST(MlsTreeEditsTest, RemoveTruncatesEmptyRightHalves) {
  tg::Group group(3);
  group.add(LeafIndex(0), 4);  // 5 members, 8 leaves
  PublicTree tree = group.tree();
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(3)));
  EXPECT_EQ(tree.leaf_count(), 8u);  // leaf 4 still holds the right half
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(4)));
  EXPECT_EQ(tree.leaf_count(), 4u);  // rightmost member is 2: 2^2 > 2
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(2)));
  EXPECT_EQ(tree.leaf_count(), 2u);
  EXPECT_EQ(tree.to_wire().nodes.size(), 3u);
  tree_edits_expect_fresh_hashes(tree);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(1)));
  EXPECT_EQ(tree.leaf_count(), 1u);
  EXPECT_EQ(tree.remove_leaf(LeafIndex(0)).error().code, Errc::invalid_argument);
  EXPECT_EQ(tree.remove_leaf(LeafIndex(5)).error().code, Errc::invalid_argument);
}

TEST(MlsTreeEditsTest, UpdateReplacesTheLeafAndBlanksItsPath) {
  tg::Group group(4);
  group.add(LeafIndex(0), 3);
  PublicTree tree = group.tree();
  ASSERT_FALSE(tree.blank(NodeIndex(3)));
  tg::Member fresh = tg::make_member(group.rng(), "member 2 again");
  fresh.leaf.signature_key = tree.leaf(LeafIndex(2))->signature_key;  // same member
  ASSERT_TRUE(tree.update_leaf(LeafIndex(2), fresh.leaf));
  EXPECT_TRUE(tree.blank(NodeIndex(5)));
  EXPECT_TRUE(tree.blank(NodeIndex(3)));
  EXPECT_EQ(*tree.leaf(LeafIndex(2)), fresh.leaf);
  EXPECT_EQ(tree.find_by_encryption_key(fresh.leaf.encryption_key), to_node(LeafIndex(2)));
  tree_edits_expect_fresh_hashes(tree);
  EXPECT_EQ(tree.update_leaf(LeafIndex(9), fresh.leaf).error().code, Errc::invalid_argument);
}

TEST(MlsTreeEditsTest, KeysAreUniqueAndIndexed) {
  tg::Group group(5);
  group.add(LeafIndex(0), 3);
  PublicTree tree = group.tree();
  const LeafNode member_two = *tree.leaf(LeafIndex(2));
  EXPECT_EQ(tree.find_by_signature_key(member_two.signature_key), LeafIndex(2));
  EXPECT_EQ(tree.find_leaf(member_two), LeafIndex(2));
  EXPECT_EQ(tree.find_by_encryption_key(tree.encryption_key(NodeIndex(3))), NodeIndex(3));

  tg::Member copy = tg::make_member(group.rng(), "copy");
  copy.leaf.signature_key = member_two.signature_key;
  const auto same_signer = tree.add_leaf(copy.leaf);
  ASSERT_FALSE(same_signer);
  EXPECT_EQ(same_signer.error().code, Errc::conflict);
  EXPECT_NE(same_signer.error().context.find("duplicate_signature_key"), std::string::npos);
  copy = tg::make_member(group.rng(), "copy");
  copy.leaf.encryption_key = to_bytes(tree.encryption_key(NodeIndex(3)));
  EXPECT_EQ(tree.add_leaf(copy.leaf).error().code, Errc::conflict);
  EXPECT_EQ(tree.member_count(), 4u);  // nothing was added

  ASSERT_TRUE(tree.remove_leaf(LeafIndex(2)));
  EXPECT_FALSE(tree.find_by_signature_key(member_two.signature_key));
  EXPECT_FALSE(tree.find_leaf(member_two));
}

TEST(MlsTreeEditsTest, FromWireChecksStructure) {
  const CipherSuite suite = tg::suite_one();
  tg::Group group(6);
  group.add(LeafIndex(0), 3);
  const RatchetTree good = group.tree().to_wire();
  auto expect_refused = [&](RatchetTree wire, const char* what, const char* rule = "") {
    const auto tree = PublicTree::from_wire(suite, wire);
    ASSERT_FALSE(tree) << what;
    EXPECT_EQ(tree.error().code, Errc::invalid_message) << what;
    EXPECT_NE(tree.error().context.find(rule), std::string::npos) << tree.error().describe();
  };
  expect_refused(RatchetTree{}, "no nodes");
  RatchetTree swapped = good;
  std::swap(swapped.nodes[0], swapped.nodes[1]);
  expect_refused(swapped, "a parent at a leaf position");
  RatchetTree outside = good;
  std::get<ParentNode>(outside.nodes[3]->body).unmerged_leaves = {4};
  expect_refused(outside, "an unmerged leaf outside the tree");
  RatchetTree duplicate = good;
  std::get<ParentNode>(duplicate.nodes[1]->body).encryption_key =
      std::get<ParentNode>(duplicate.nodes[3]->body).encryption_key;
  expect_refused(duplicate, "a repeated encryption key", "node 3: duplicate_encryption_key");
  RatchetTree same_signer = good;
  std::get<LeafNode>(same_signer.nodes[6]->body).signature_key =
      std::get<LeafNode>(same_signer.nodes[2]->body).signature_key;
  expect_refused(same_signer, "a repeated signature key", "leaf 3: duplicate_signature_key");
  RatchetTree no_members{{std::nullopt, good.nodes[1]}};
  expect_refused(no_members, "no members");
  // Trailing blanks are padded, not refused; to_wire drops them again.
  RatchetTree padded = good;
  padded.nodes.resize(7);
  const auto tree = PublicTree::from_wire(suite, padded);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->to_wire(), good);
}

TEST(MlsTreeEditsTest, MergeRefusesABadUpdatePath) {
  tg::Group group(7);
  group.add(LeafIndex(0), 3);
  const PublicTree before = group.tree();
  PublicTree after = before;
  TreeKemPrivate state = group.seat(LeafIndex(1))->state.clone();
  auto context = group.context();
  const auto made = state.encap(after, *before.leaf(LeafIndex(1)), group.seat(LeafIndex(1))->signer,
                                context, {}, group.rng());
  ASSERT_TRUE(made);
  auto merge_error = [&](const UpdatePath& path) {
    PublicTree copy = before;
    const auto merged = copy.merge_update_path(LeafIndex(1), path);
    return merged ? std::string("merged") : merged.error().describe();
  };
  UpdatePath wrong_hash = made->path;
  (*wrong_hash.leaf_node.parent_hash)[0] ^= std::byte{1};
  EXPECT_NE(merge_error(wrong_hash).find("auth_failed"), std::string::npos);
  UpdatePath short_path = made->path;
  short_path.nodes.pop_back();
  EXPECT_NE(merge_error(short_path).find("invalid_message"), std::string::npos);
  UpdatePath reused = made->path;
  reused.nodes[0].encryption_key = to_bytes(before.encryption_key(NodeIndex(3)));
  EXPECT_NE(merge_error(reused).find("duplicate_encryption_key"), std::string::npos);
  UpdatePath old_leaf_key = made->path;
  old_leaf_key.leaf_node.encryption_key = before.leaf(LeafIndex(1))->encryption_key;
  EXPECT_NE(merge_error(old_leaf_key).find("duplicate_encryption_key"), std::string::npos);
  UpdatePath not_commit = made->path;
  not_commit.leaf_node.leaf_node_source = LeafNodeSource::update;
  not_commit.leaf_node.parent_hash.reset();
  EXPECT_NE(merge_error(not_commit).find("leaf_node_source"), std::string::npos);
  EXPECT_EQ(merge_error(made->path), "merged");
}

TEST(MlsTreeEditsTest, CachedHashesFollowEveryEdit) {
  tg::Group group(8);
  group.add(LeafIndex(0), 9);
  tree_edits_expect_fresh_hashes(group.tree());
  group.remove(LeafIndex(3), LeafIndex(7));
  tree_edits_expect_fresh_hashes(group.tree());
  group.add(LeafIndex(5), 2);
  tree_edits_expect_fresh_hashes(group.tree());
  group.remove(LeafIndex(2), LeafIndex(9));
  group.remove(LeafIndex(2), LeafIndex(8));
  tree_edits_expect_fresh_hashes(group.tree());
  EXPECT_EQ(group.tree().leaf_count(), 16u);  // leaf 10 holds the right half
  group.remove(LeafIndex(4), LeafIndex(10));
  tree_edits_expect_fresh_hashes(group.tree());
  EXPECT_EQ(group.tree().leaf_count(), 8u);
}

TEST(MlsTreeEditsTest, ResolutionLeavesOutExcludedLeaves) {
  tg::Group group(9);
  group.add(LeafIndex(0), 3);
  group.remove(LeafIndex(0), LeafIndex(3));  // leaf 0's commit sets nodes 1 and 3
  PublicTree tree = group.tree();
  ASSERT_EQ(tree.add_leaf(tg::make_member(group.rng(), "new").leaf).value(), LeafIndex(3));
  // The root lists leaf 3 as unmerged; node 5 above it is blank.
  EXPECT_EQ(tree_edits_unmerged(tree, 3), (std::vector<std::uint32_t>{3}));
  const std::vector<LeafIndex> joiners{LeafIndex(3)};
  EXPECT_EQ(tree.resolution(NodeIndex(3)), (std::vector<NodeIndex>{NodeIndex(3), NodeIndex(6)}));
  EXPECT_EQ(tree.resolution(NodeIndex(3), joiners), (std::vector<NodeIndex>{NodeIndex(3)}));
  EXPECT_EQ(tree.resolution(NodeIndex(5)), (std::vector<NodeIndex>{NodeIndex(4), NodeIndex(6)}));
  EXPECT_EQ(tree.resolution(NodeIndex(5), joiners), (std::vector<NodeIndex>{NodeIndex(4)}));
  EXPECT_EQ(tree.filtered_direct_path(LeafIndex(0)),
            (std::vector<PathStep>{{NodeIndex(1), NodeIndex(2)}, {NodeIndex(3), NodeIndex(5)}}));
  // Leaf 2's sibling (leaf 3) is non-blank now, so node 5 is on its filtered path.
  EXPECT_EQ(tree.filtered_direct_path(LeafIndex(2)).size(), 2u);
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(1)));
  EXPECT_EQ(tree.filtered_direct_path(LeafIndex(0)),
            (std::vector<PathStep>{{NodeIndex(3), NodeIndex(5)}}));
}

}  // namespace
}  // namespace bulwark::protocol::mls
