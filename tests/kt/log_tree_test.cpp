// The stored log tree (kt/log_tree.h) gives exactly the reference proofs of kt/merkle.h, for
// every past size, and they verify.
#include "kt/log_tree.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bulwark::kt {
namespace {

std::vector<Hash> leaves_of(std::uint64_t n) {
  std::vector<Hash> leaves;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string entry = "entry " + std::to_string(i);
    leaves.push_back(leaf_hash(as_bytes(entry)));
  }
  return leaves;
}

LogTree tree_of(const std::vector<Hash>& leaves) {
  LogTree tree;
  for (const Hash& leaf : leaves) tree.append(leaf);
  return tree;
}

TEST(LogTreeTest, EmptyTreeHasTheEmptyRoot) {
  const LogTree tree;
  EXPECT_EQ(tree.size(), 0u);
  EXPECT_EQ(tree.root(), empty_root());
}

TEST(LogTreeTest, RootsAndProofsMatchTheReferenceAtEveryPastSize) {
  const auto leaves = leaves_of(70);
  const LogTree tree = tree_of(leaves);
  for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
    const std::span<const Hash> prefix(leaves.data(), size);
    const Hash root = root_of(prefix);
    ASSERT_EQ(tree.root(size), root) << "size " << size;
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = tree.inclusion_proof(index, size);
      ASSERT_EQ(proof, kt::inclusion_proof(prefix, index)) << index << " in " << size;
      ASSERT_TRUE(verify_inclusion(index, size, leaves[index], proof, root));
    }
    for (std::uint64_t old_size = 1; old_size <= size; ++old_size) {
      const auto proof = tree.consistency_proof(old_size, size);
      ASSERT_EQ(proof, kt::consistency_proof(prefix, old_size)) << old_size << " to " << size;
      ASSERT_TRUE(verify_consistency(old_size, size, tree.root(old_size), root, proof));
    }
  }
}

TEST(LogTreeTest, LargeTreeProofsVerifyAndStayLogarithmic) {
  const auto leaves = leaves_of(100'003);
  const LogTree tree = tree_of(leaves);
  const Hash root = tree.root();
  EXPECT_EQ(root, root_of(leaves));
  for (const std::uint64_t index : {0ull, 1ull, 65'535ull, 65'536ull, 99'999ull, 100'002ull}) {
    const auto proof = tree.inclusion_proof(index, tree.size());
    EXPECT_LE(proof.size(), 17u);
    EXPECT_TRUE(verify_inclusion(index, tree.size(), leaves[index], proof, root)) << index;
  }
  for (const std::uint64_t old_size : {1ull, 7ull, 65'536ull, 77'777ull, 100'002ull}) {
    const auto proof = tree.consistency_proof(old_size, tree.size());
    EXPECT_LE(proof.size(), 2u * 17u);
    EXPECT_TRUE(verify_consistency(old_size, tree.size(), tree.root(old_size), root, proof))
        << old_size;
  }
}

TEST(LogTreeTest, LeavesAreKeptInOrder) {
  const auto leaves = leaves_of(5);
  const LogTree tree = tree_of(leaves);
  for (std::uint64_t i = 0; i < leaves.size(); ++i) EXPECT_EQ(tree.leaf(i), leaves[i]);
}

}  // namespace
}  // namespace bulwark::kt
