// SecretTree::peek_key: the key key_for would give, with its errors, consuming nothing.
#include <gtest/gtest.h>

#include "protocol/mls/secret_tree.h"

namespace bulwark::protocol::mls {
namespace {

SecretTree peek_tree(SecretTreeLimits limits = {}) {
  auto tree = SecretTree::create(*CipherSuite::from_id(1), Bytes(32, std::byte{0x5a}), 4, limits);
  EXPECT_TRUE(tree);
  return std::move(*tree);
}

void peek_expect_same(const Result<RatchetKey>& a, const Result<RatchetKey>& b) {
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->generation, b->generation);
  EXPECT_EQ(to_bytes(a->key.view()), to_bytes(b->key.view()));
  EXPECT_EQ(to_bytes(a->nonce.view()), to_bytes(b->nonce.view()));
}

Errc peek_error(const Result<RatchetKey>& got) {
  EXPECT_FALSE(got);
  return got ? Errc::internal : got.error().code;
}

// Peeks, then takes the key with key_for (in that order: argument order is unspecified).
void peek_then_take(SecretTree& tree, LeafIndex leaf, RatchetKind kind, std::uint32_t generation) {
  const auto peeked = tree.peek_key(leaf, kind, generation);
  const auto taken = tree.key_for(leaf, kind, generation);
  peek_expect_same(peeked, taken);
}

TEST(MlsSecretTreePeekTest, PeekingConsumesNothing) {
  SecretTree tree = peek_tree();
  const LeafIndex leaf(2);
  const auto first = tree.peek_key(leaf, RatchetKind::application, 5);
  const auto again = tree.peek_key(leaf, RatchetKind::application, 5);
  peek_expect_same(first, again);
  // Nothing was skipped or consumed: generation 0 is still the ratchet's next.
  peek_then_take(tree, leaf, RatchetKind::application, 0);
  const auto taken = tree.key_for(leaf, RatchetKind::application, 5);
  peek_expect_same(first, taken);
  EXPECT_EQ(peek_error(tree.peek_key(leaf, RatchetKind::application, 5)), Errc::duplicate_message);
  // Skipped keys are peeked in place and still there afterwards.
  peek_then_take(tree, leaf, RatchetKind::application, 3);
  // The handshake ratchet is untouched by all of it.
  peek_then_take(tree, leaf, RatchetKind::handshake, 0);
}

TEST(MlsSecretTreePeekTest, PeekingAgreesWithTheSender) {
  SecretTree sender = peek_tree();
  SecretTree receiver = peek_tree();
  for (std::uint32_t g = 0; g < 4; ++g) {
    const auto sent = sender.next(LeafIndex(1), RatchetKind::handshake);
    const auto peeked = receiver.peek_key(LeafIndex(1), RatchetKind::handshake, g);
    peek_expect_same(sent, peeked);
  }
}

TEST(MlsSecretTreePeekTest, PeekingHasTheSameLimits) {
  SecretTree tree = peek_tree(SecretTreeLimits{8, 2});
  const LeafIndex leaf(0);
  EXPECT_EQ(peek_error(tree.peek_key(leaf, RatchetKind::handshake, 9)), Errc::invalid_message);
  EXPECT_TRUE(tree.peek_key(leaf, RatchetKind::handshake, 8));
  ASSERT_TRUE(tree.key_for(leaf, RatchetKind::handshake, 8));  // keeps 6, 7
  EXPECT_EQ(peek_error(tree.peek_key(leaf, RatchetKind::handshake, 5)), Errc::invalid_message);
  EXPECT_TRUE(tree.peek_key(leaf, RatchetKind::handshake, 6));
  EXPECT_EQ(peek_error(tree.peek_key(LeafIndex(4), RatchetKind::handshake, 0)),
            Errc::invalid_message);
}

// consume() leaves the tree as key_for() does, for the next generation, a jump ahead and a
// kept key alike: later keys agree and the consumed generations are used up.
TEST(MlsSecretTreePeekTest, ConsumingAfterAPeekIsTakingTheKey) {
  SecretTree taking = peek_tree();
  SecretTree consuming = peek_tree();
  const LeafIndex leaf(1);
  const auto kind = RatchetKind::application;
  for (const std::uint32_t generation : {0u, 1u, 5u, 3u}) {
    const auto peeked = consuming.peek_key(leaf, kind, generation);
    ASSERT_TRUE(consuming.consume(leaf, kind, generation)) << generation;
    peek_expect_same(peeked, taking.key_for(leaf, kind, generation));
    EXPECT_EQ(peek_error(consuming.key_for(leaf, kind, generation)), Errc::duplicate_message)
        << generation;
  }
  peek_expect_same(consuming.key_for(leaf, kind, 4), taking.key_for(leaf, kind, 4));
  peek_expect_same(consuming.key_for(leaf, kind, 6), taking.key_for(leaf, kind, 6));
  EXPECT_EQ(consuming.consume(leaf, kind, 6).error().code, Errc::duplicate_message);
  EXPECT_EQ(consuming.consume(LeafIndex(9), kind, 0).error().code, Errc::invalid_message);
}

}  // namespace
}  // namespace bulwark::protocol::mls
