// The auditor (kt/audit.h) computes the log an honest operator publishes, and refuses, with
// nothing changed, every entry that would rewrite or reorder history.
#include "kt/audit.h"

#include <random>

#include <gtest/gtest.h>

namespace bulwark::kt {
namespace {

PrefixLeaf random_leaf(std::mt19937_64& rng) {
  PrefixLeaf leaf;
  for (auto& b : leaf.vrf_output) b = static_cast<std::byte>(rng());
  for (auto& b : leaf.commitment) b = static_cast<std::byte>(rng());
  return leaf;
}

TEST(AuditorTest, ComputesTheLogOfPrefixRootsEntryByEntry) {
  std::mt19937_64 rng(1);
  Auditor auditor;
  PrefixTree tree;
  LogTree log;
  for (std::uint64_t e = 0; e < 30; ++e) {
    AuditEntry entry{1000 + e, {}};
    for (std::uint64_t i = 0; i < e % 7; ++i) entry.added.push_back(random_leaf(rng));
    for (const auto& leaf : entry.added) ASSERT_TRUE(tree.insert(leaf.vrf_output, leaf.commitment));
    log.append(log_entry_leaf(LogEntry{entry.timestamp_ms, tree.root()}));
    ASSERT_TRUE(auditor.apply(entry));
    ASSERT_EQ(auditor.root(), log.root()) << e;
  }
  EXPECT_EQ(auditor.size(), 30u);
}

TEST(AuditorTest, RefusesRewritesDuplicatesAndTimeTravelWithoutChange) {
  std::mt19937_64 rng(2);
  Auditor auditor;
  const PrefixLeaf first = random_leaf(rng);
  ASSERT_TRUE(auditor.apply(AuditEntry{5000, {first, random_leaf(rng)}}));
  const Hash root = auditor.root();

  PrefixLeaf rewritten = first;
  rewritten.commitment[0] ^= std::byte{1};
  const PrefixLeaf fresh = random_leaf(rng);
  const AuditEntry bad_entries[] = {
      {6000, {fresh, rewritten}},  // a new commitment for an existing key
      {6000, {fresh, fresh}},      // one key twice
      {4999, {fresh}},             // back in time
  };
  for (const AuditEntry& bad : bad_entries) {
    const auto result = auditor.apply(bad);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_proof);
    EXPECT_EQ(auditor.size(), 1u);
    EXPECT_EQ(auditor.root(), root);
    EXPECT_EQ(auditor.leaf_count(), 2u);
  }
  EXPECT_TRUE(auditor.apply(AuditEntry{5000, {fresh}}));  // same millisecond is fine
}

}  // namespace
}  // namespace bulwark::kt
