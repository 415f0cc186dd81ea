// The prefix tree (kt/prefix_tree.h) and its proofs (kt/prefix_proof.h): roots match an
// independent recursive definition over the key set, every lookup proof leads to the root,
// and every tampering with a proof is refused or leads elsewhere.
#include "kt/prefix_tree.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace bulwark::kt {
namespace {

Hash random_hash(std::mt19937_64& rng) {
  Hash hash{};
  for (auto& b : hash) b = static_cast<std::byte>(rng());
  return hash;
}

// The draft's definition, straight from the set of leaves: a set of one is its leaf, a
// larger set a parent over its 0-half and 1-half, an empty set the stand-in.
Hash reference_root(std::vector<PrefixLeaf> leaves, std::size_t depth = 0) {
  if (leaves.empty()) return prefix_stand_in();
  if (leaves.size() == 1) return prefix_leaf_value(leaves[0]);
  std::vector<PrefixLeaf> halves[2];
  for (const auto& leaf : leaves) halves[key_bit(leaf.vrf_output, depth) ? 1 : 0].push_back(leaf);
  return prefix_parent_value(reference_root(halves[0], depth + 1),
                             reference_root(halves[1], depth + 1));
}

struct Fixture {
  PrefixTree tree;
  std::vector<PrefixLeaf> leaves;
};

Fixture random_tree(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Fixture f;
  for (std::size_t i = 0; i < n; ++i) {
    f.leaves.push_back(PrefixLeaf{random_hash(rng), random_hash(rng)});
    EXPECT_TRUE(f.tree.insert(f.leaves.back().vrf_output, f.leaves.back().commitment));
  }
  return f;
}

std::vector<PrefixLookup> lookups_for(const PrefixTree& tree, const std::vector<Hash>& keys) {
  std::vector<PrefixLookup> lookups;
  for (const Hash& key : keys) lookups.push_back(PrefixLookup{key, tree.find(key)});
  return lookups;
}

TEST(PrefixTreeTest, EmptyTreeRootIsTheStandInAndProvesAbsence) {
  PrefixTree tree;
  EXPECT_EQ(tree.root(), prefix_stand_in());
  std::mt19937_64 rng(1);
  const std::vector<Hash> keys = {random_hash(rng)};
  const PrefixProof proof = tree.prove(keys);
  ASSERT_EQ(proof.results.size(), 1u);
  EXPECT_EQ(proof.results[0].type, PrefixResultType::non_inclusion_parent);
  EXPECT_EQ(prefix_root_from_proof(lookups_for(tree, keys), proof).value(), prefix_stand_in());
}

TEST(PrefixTreeTest, RootMatchesTheReferenceWhateverTheInsertOrder) {
  Fixture f = random_tree(2000, 7);
  const Hash expected = reference_root(f.leaves);
  EXPECT_EQ(f.tree.root(), expected);
  std::reverse(f.leaves.begin(), f.leaves.end());
  PrefixTree reversed;
  for (const auto& leaf : f.leaves) ASSERT_TRUE(reversed.insert(leaf.vrf_output, leaf.commitment));
  EXPECT_EQ(reversed.root(), expected);
}

TEST(PrefixTreeTest, RootsAfterEachBatchMatchTheReference) {
  std::mt19937_64 rng(3);
  PrefixTree tree;
  std::vector<PrefixLeaf> leaves;
  for (int batch = 0; batch < 20; ++batch) {
    for (int i = 0; i < batch * 3; ++i) {
      leaves.push_back(PrefixLeaf{random_hash(rng), random_hash(rng)});
      ASSERT_TRUE(tree.insert(leaves.back().vrf_output, leaves.back().commitment));
    }
    ASSERT_EQ(tree.root(), reference_root(leaves)) << "batch " << batch;
  }
}

TEST(PrefixTreeTest, ExistingKeyIsRefusedAndNothingChanges) {
  Fixture f = random_tree(100, 11);
  const Hash before = f.tree.root();
  const auto result = f.tree.insert(f.leaves[42].vrf_output, Hash{});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::conflict);
  EXPECT_EQ(f.tree.size(), 100u);
  EXPECT_EQ(f.tree.root(), before);
  EXPECT_EQ(f.tree.find(f.leaves[42].vrf_output), f.leaves[42].commitment);
}

TEST(PrefixTreeTest, EveryLookupProofLeadsToTheRoot) {
  Fixture f = random_tree(500, 5);
  const Hash root = f.tree.root();
  std::mt19937_64 rng(99);
  for (std::size_t i = 0; i < f.leaves.size(); i += 7) {
    const std::vector<Hash> keys = {f.leaves[i].vrf_output};
    const PrefixProof proof = f.tree.prove(keys);
    EXPECT_EQ(proof.results[0].type, PrefixResultType::inclusion);
    EXPECT_EQ(prefix_root_from_proof(lookups_for(f.tree, keys), proof).value(), root);
  }
  for (int i = 0; i < 100; ++i) {
    const std::vector<Hash> keys = {random_hash(rng)};
    const PrefixProof proof = f.tree.prove(keys);
    EXPECT_NE(proof.results[0].type, PrefixResultType::inclusion);
    EXPECT_EQ(prefix_root_from_proof(lookups_for(f.tree, keys), proof).value(), root);
  }
}

TEST(PrefixTreeTest, BatchProofSharesElementsAndLeadsToTheRoot) {
  Fixture f = random_tree(1000, 8);
  std::mt19937_64 rng(12);
  std::vector<Hash> keys = {f.leaves[3].vrf_output, random_hash(rng), f.leaves[900].vrf_output,
                            random_hash(rng), f.leaves[17].vrf_output};
  const PrefixProof batch = f.tree.prove(keys);
  std::size_t separate = 0;
  for (const Hash& key : keys) separate += f.tree.prove(std::vector<Hash>{key}).elements.size();
  EXPECT_LT(batch.elements.size(), separate);
  EXPECT_EQ(prefix_root_from_proof(lookups_for(f.tree, keys), batch).value(), f.tree.root());
}

TEST(PrefixTreeTest, KeysEndingAtOneLeafShareItsValue) {
  // A one-leaf tree: every search ends at its root leaf, found or not.
  PrefixTree tree;
  std::mt19937_64 rng(31);
  const Hash present = random_hash(rng);
  ASSERT_TRUE(tree.insert(present, random_hash(rng)));
  const std::vector<Hash> keys = {random_hash(rng), present, random_hash(rng)};
  const PrefixProof proof = tree.prove(keys);
  EXPECT_EQ(proof.results[1].type, PrefixResultType::inclusion);
  EXPECT_EQ(proof.results[0].type, PrefixResultType::non_inclusion_leaf);
  EXPECT_TRUE(proof.elements.empty());
  const auto lookups = lookups_for(tree, keys);
  EXPECT_EQ(prefix_root_from_proof(lookups, proof).value(), tree.root());
  // The absent keys' results must name that same leaf.
  PrefixProof other_leaf = proof;
  other_leaf.results[2].leaf->commitment[0] ^= std::byte{1};
  EXPECT_FALSE(prefix_root_from_proof(lookups, other_leaf));
}

TEST(PrefixTreeTest, KeysDifferingInTheLastBitSitAtDepth256) {
  PrefixTree tree;
  Hash a{};
  Hash b{};
  b[31] = std::byte{1};
  ASSERT_TRUE(tree.insert(a, Hash{}));
  ASSERT_TRUE(tree.insert(b, Hash{}));
  const std::vector<Hash> keys = {a, b};
  const PrefixProof proof = tree.prove(keys);
  EXPECT_EQ(proof.results[0].depth, 256);
  EXPECT_EQ(prefix_root_from_proof(lookups_for(tree, keys), proof).value(), tree.root());
  EXPECT_EQ(tree.root(), reference_root({PrefixLeaf{a, Hash{}}, PrefixLeaf{b, Hash{}}}));
}

// Every single change to a valid proof or to the expectations is refused or leads to
// another root.
TEST(PrefixTreeTest, TamperedProofsNeverLeadToTheRoot) {
  Fixture f = random_tree(300, 21);
  std::mt19937_64 rng(4);
  const std::vector<Hash> keys = {f.leaves[10].vrf_output, random_hash(rng),
                                  f.leaves[200].vrf_output};
  const PrefixProof good = f.tree.prove(keys);
  const auto lookups = lookups_for(f.tree, keys);
  const Hash root = f.tree.root();
  const auto leads_to_root = [&](const std::vector<PrefixLookup>& l, const PrefixProof& p) {
    const auto computed = prefix_root_from_proof(l, p);
    return computed && *computed == root;
  };
  ASSERT_TRUE(leads_to_root(lookups, good));

  for (std::size_t e = 0; e < good.elements.size(); ++e) {
    PrefixProof p = good;
    p.elements[e][e % 32] ^= std::byte{1};
    EXPECT_FALSE(leads_to_root(lookups, p)) << "element " << e;
    p = good;
    p.elements.erase(p.elements.begin() + static_cast<std::ptrdiff_t>(e));
    EXPECT_FALSE(leads_to_root(lookups, p)) << "dropped element " << e;
  }
  PrefixProof extra = good;
  extra.elements.push_back(Hash{});
  EXPECT_FALSE(leads_to_root(lookups, extra));

  for (std::size_t r = 0; r < good.results.size(); ++r) {
    for (const int delta : {-1, 1}) {
      PrefixProof p = good;
      p.results[r].depth = static_cast<std::uint16_t>(p.results[r].depth + delta);
      EXPECT_FALSE(leads_to_root(lookups, p)) << "depth of " << r;
    }
    for (const auto type : {PrefixResultType::inclusion, PrefixResultType::non_inclusion_leaf,
                            PrefixResultType::non_inclusion_parent}) {
      if (type == good.results[r].type) continue;
      PrefixProof p = good;
      p.results[r].type = type;
      EXPECT_FALSE(leads_to_root(lookups, p)) << "type of " << r;
    }
    auto l = lookups;
    l[r].commitment = l[r].commitment ? std::nullopt : std::optional<Hash>(Hash{});
    EXPECT_FALSE(leads_to_root(l, good)) << "expectation of " << r;
  }
  auto wrong_commitment = lookups;
  (*wrong_commitment[0].commitment)[0] ^= std::byte{1};
  EXPECT_FALSE(leads_to_root(wrong_commitment, good));

  PrefixProof too_few = good;
  too_few.results.pop_back();
  EXPECT_FALSE(prefix_root_from_proof(lookups, too_few));
  const std::vector<PrefixLookup> twice = {lookups[0], lookups[0]};
  PrefixProof twice_proof = good;
  twice_proof.results.resize(2);
  EXPECT_FALSE(prefix_root_from_proof(twice, twice_proof));
}

TEST(PrefixTreeTest, NonInclusionLeafOffTheKeysPathIsRefused) {
  Fixture f = random_tree(50, 2);
  std::mt19937_64 rng(6);
  std::vector<Hash> keys;
  PrefixProof proof;
  // Find an absent key whose search ends at another key's leaf.
  do {
    keys = {random_hash(rng)};
    proof = f.tree.prove(keys);
  } while (proof.results[0].type != PrefixResultType::non_inclusion_leaf);
  const auto lookups = lookups_for(f.tree, keys);
  ASSERT_TRUE(prefix_root_from_proof(lookups, proof));
  // Flip a bit of the leaf's key inside the shared prefix: the leaf is no longer on the path.
  PrefixProof moved = proof;
  ASSERT_GT(moved.results[0].depth, 0);
  moved.results[0].leaf->vrf_output[0] ^= std::byte{0x80};
  const auto result = prefix_root_from_proof(lookups, moved);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_proof);
  // A "non-inclusion" leaf that is the key itself is refused too.
  PrefixProof itself = proof;
  itself.results[0].leaf->vrf_output = keys[0];
  EXPECT_FALSE(prefix_root_from_proof(lookups, itself));
}

}  // namespace
}  // namespace bulwark::kt
