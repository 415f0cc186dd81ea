// PublicTree::signature_key: members' signature keys parsed once and kept with the tree (a
// joiner's leaf checks and each received message use them), never a key the leaf no longer
// holds, and the same refusals as parsing the leaf's bytes.
#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/mls/tree/public_tree.h"
#include "support/tree_group.h"

namespace bulwark::protocol::mls {
namespace {

namespace tg = tree_group;

bool tree_keys_hold(const crypto::Ed25519PublicKey& key, const Bytes& bytes) {
  return std::ranges::equal(key.bytes(), bytes);
}

TEST(MlsTreeSignatureKeysTest, GivesEachMembersKeyAndCopiesKeepThem) {
  tg::Group group(7);
  group.add(LeafIndex(0), 3);
  const PublicTree& tree = group.tree();
  for (const LeafIndex member : tree.members()) {
    const auto key = tree.signature_key(member);
    ASSERT_TRUE(key) << key.error().describe();
    EXPECT_TRUE(tree_keys_hold(*key, tree.leaf(member)->signature_key)) << member.to_string();
  }
  const PublicTree copy = tree;
  const auto again = copy.signature_key(LeafIndex(2));
  ASSERT_TRUE(again);
  EXPECT_TRUE(tree_keys_hold(*again, tree.leaf(LeafIndex(2))->signature_key));
}

// A key kept for a leaf must not outlive the leaf's key: after an Update with a new signature
// key, the new one is given.
TEST(MlsTreeSignatureKeysTest, AKeptKeyFollowsTheLeafsNewKey) {
  tg::Group group(8);
  group.add(LeafIndex(0), 3);
  PublicTree tree = group.tree();
  const auto old_key = tree.signature_key(LeafIndex(2));
  ASSERT_TRUE(old_key);
  const tg::Member fresh = tg::make_member(group.rng(), "member 2, new key");
  ASSERT_TRUE(tree.update_leaf(LeafIndex(2), fresh.leaf));
  const auto new_key = tree.signature_key(LeafIndex(2));
  ASSERT_TRUE(new_key);
  EXPECT_TRUE(tree_keys_hold(*new_key, fresh.leaf.signature_key));
  EXPECT_FALSE(tree_keys_hold(*new_key, to_bytes(old_key->bytes())));
}

TEST(MlsTreeSignatureKeysTest, BlankLeavesAndInvalidKeysAreRefused) {
  tg::Group group(9);
  group.add(LeafIndex(0), 3);
  PublicTree tree = group.tree();
  ASSERT_TRUE(tree.remove_leaf(LeafIndex(1)));
  EXPECT_EQ(tree.signature_key(LeafIndex(1)).error().code, Errc::invalid_argument);
  EXPECT_EQ(tree.signature_key(LeafIndex(99)).error().code, Errc::invalid_argument);

  // The identity point: a canonical encoding of a small-order point, never a valid key.
  tg::Member odd = tg::make_member(group.rng(), "small-order key");
  odd.leaf.signature_key = Bytes(32, std::byte{0});
  odd.leaf.signature_key[0] = std::byte{1};
  const auto placed = tree.add_leaf(odd.leaf);
  ASSERT_TRUE(placed);
  EXPECT_EQ(tree.signature_key(*placed).error().code, Errc::auth_failed);
}

}  // namespace
}  // namespace bulwark::protocol::mls
