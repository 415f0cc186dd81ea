// SecretTree::snapshot / restore: a restored tree hands out exactly the keys the original
// would (next generations, skipped keys kept, keys already used refused), and a snapshot that
// breaks the tree's invariants is refused rather than trusted.
#include <gtest/gtest.h>

#include "protocol/mls/secret_tree.h"

namespace bulwark::protocol::mls {
namespace {

SecretTree snapshot_sample_tree(const CipherSuite& suite) {
  const Bytes secret(CipherSuite::hash_size(), std::byte{0x42});
  SecretTree tree = *SecretTree::create(suite, secret, 8);
  EXPECT_TRUE(tree.next(LeafIndex(1), RatchetKind::application));
  EXPECT_TRUE(tree.next(LeafIndex(1), RatchetKind::application));
  EXPECT_TRUE(tree.key_for(LeafIndex(5), RatchetKind::handshake, 3));  // keeps 0..2 skipped
  return tree;
}

Bytes snapshot_key(Result<RatchetKey> key) {
  EXPECT_TRUE(key);
  return key ? to_bytes(key->key.view()) : Bytes{};
}

TEST(MlsSecretTreeSnapshotTest, RestoredTreeGivesTheSameKeys) {
  const CipherSuite suite = *CipherSuite::from_id(1);
  SecretTree original = snapshot_sample_tree(suite);
  auto restored = SecretTree::restore(suite, original.snapshot());
  ASSERT_TRUE(restored) << restored.error().describe();
  EXPECT_EQ(snapshot_key(restored->next(LeafIndex(1), RatchetKind::application)),
            snapshot_key(original.next(LeafIndex(1), RatchetKind::application)));
  EXPECT_EQ(snapshot_key(restored->key_for(LeafIndex(5), RatchetKind::handshake, 1)),
            snapshot_key(original.key_for(LeafIndex(5), RatchetKind::handshake, 1)));
  EXPECT_EQ(snapshot_key(restored->key_for(LeafIndex(6), RatchetKind::application, 0)),
            snapshot_key(original.key_for(LeafIndex(6), RatchetKind::application, 0)));
  const auto used = restored->key_for(LeafIndex(5), RatchetKind::handshake, 3);
  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().code, Errc::duplicate_message);
}

TEST(MlsSecretTreeSnapshotTest, BrokenSnapshotsAreRefused) {
  const CipherSuite suite = *CipherSuite::from_id(3);
  const SecretTree original = snapshot_sample_tree(suite);
  {
    SecretTreeSnapshot lost_leaf = original.snapshot();  // a leaf no secret covers
    lost_leaf.node_secrets.pop_back();
    EXPECT_FALSE(SecretTree::restore(suite, std::move(lost_leaf)));
  }
  {
    SecretTreeSnapshot overlap = original.snapshot();  // the root above everything
    overlap.node_secrets.insert(overlap.node_secrets.begin() + 1,
                                {7, SecretBytes(CipherSuite::hash_size())});
    EXPECT_FALSE(SecretTree::restore(suite, std::move(overlap)));
  }
  {
    SecretTreeSnapshot short_secret = original.snapshot();
    short_secret.leaves.front().handshake.secret = SecretBytes(3);
    EXPECT_FALSE(SecretTree::restore(suite, std::move(short_secret)));
  }
  {
    SecretTreeSnapshot bad_count = original.snapshot();
    bad_count.n_leaves = 6;
    EXPECT_FALSE(SecretTree::restore(suite, std::move(bad_count)));
  }
  {
    SecretTreeSnapshot future_skip = original.snapshot();
    auto& ratchet = future_skip.leaves.back().handshake;
    ASSERT_FALSE(ratchet.skipped.empty());
    ratchet.skipped.back().first = static_cast<std::uint32_t>(ratchet.next_generation);
    EXPECT_FALSE(SecretTree::restore(suite, std::move(future_skip)));
  }
}

}  // namespace
}  // namespace bulwark::protocol::mls
