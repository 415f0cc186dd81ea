// The witness's copies of the log (witness/replica.h): the KT replica decodes entries
// strictly and replays them into a kt::Auditor; only a well-formed entry that contradicts the
// log's past answers invalid_proof (the witness's alarm), and a failed apply changes nothing.
// The disclosure log's replica is the RFC 6962 tree of its entries' leaf hashes.
#include "witness/replica.h"

#include <gtest/gtest.h>

#include "kt/audit.h"
#include "kt/merkle.h"
#include "kt/wire.h"

namespace bulwark::witness {
namespace {

kt::PrefixLeaf replica_test_leaf(std::uint8_t fill) {
  kt::PrefixLeaf leaf{};
  leaf.vrf_output.fill(std::byte{fill});
  leaf.commitment.fill(std::byte{fill});
  return leaf;
}

Bytes replica_test_encoded(const kt::AuditEntry& entry) {
  return kt::encode_audit_entry(entry).value();
}

TEST(ReplicaTest, KtReplicaReplaysEntriesIntoAnAuditor) {
  const kt::AuditEntry first{1000, {replica_test_leaf(1)}};
  const kt::AuditEntry second{2000, {replica_test_leaf(2), replica_test_leaf(3)}};
  kt::Auditor auditor;
  ASSERT_TRUE(auditor.apply(first));
  ASSERT_TRUE(auditor.apply(second));

  const auto replica = make_replica(LogKind::kt);
  EXPECT_EQ(replica->size(), 0u);
  EXPECT_EQ(replica->root(0), kt::empty_root());
  ASSERT_TRUE(replica->apply(replica_test_encoded(first)));
  ASSERT_TRUE(replica->apply(replica_test_encoded(second)));
  EXPECT_EQ(replica->size(), 2u);
  EXPECT_EQ(replica->root(1), auditor.log().root(1));
  EXPECT_EQ(replica->root(2), auditor.log().root(2));
}

TEST(ReplicaTest, KtReplicaDecodesStrictlyAndAMalformedEntryIsNoContradiction) {
  const Bytes good = replica_test_encoded({1234, {replica_test_leaf(1)}});
  Bytes longer = good;
  longer.push_back(std::byte{'x'});
  const Bytes shorter(good.begin() + 1, good.end());
  const auto replica = make_replica(LogKind::kt);
  for (const Bytes& bad : {longer, shorter, Bytes{}}) {
    const auto applied = replica->apply(bad);
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().code, Errc::invalid_proof) << applied.error().describe();
  }
  EXPECT_EQ(replica->size(), 0u);
  EXPECT_TRUE(replica->apply(good));
}

TEST(ReplicaTest, KtReplicaRefusesAReaddedKeyAsAContradictionAndChangesNothing) {
  const auto replica = make_replica(LogKind::kt);
  ASSERT_TRUE(replica->apply(replica_test_encoded({1000, {replica_test_leaf(1)}})));
  const kt::Hash before = replica->root(1);
  const auto refused = replica->apply(replica_test_encoded({2000, {replica_test_leaf(1)}}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_EQ(replica->size(), 1u);
  EXPECT_EQ(replica->root(1), before);
}

TEST(ReplicaTest, PlainReplicaIsTheTreeOfItsEntriesLeafHashes) {
  const auto replica = make_replica(LogKind::disclosure);
  EXPECT_EQ(replica->root(0), kt::empty_root());
  std::vector<kt::Hash> leaves;
  for (const std::string_view entry : {"first", "", "third", "fourth", "fifth"}) {
    ASSERT_TRUE(replica->apply(as_bytes(entry)));
    leaves.push_back(kt::leaf_hash(as_bytes(entry)));
    EXPECT_EQ(replica->size(), leaves.size());
    EXPECT_EQ(replica->root(leaves.size()), kt::root_of(leaves));
  }
  EXPECT_EQ(replica->root(2), kt::root_of(std::span(leaves).first(2)));
  // Every byte string is an entry, the KT log's included: nothing to refuse entry by entry.
  EXPECT_TRUE(replica->apply(replica_test_encoded({1, {replica_test_leaf(1)}})));
}

}  // namespace
}  // namespace bulwark::witness
