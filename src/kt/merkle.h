// The RFC 6962 / RFC 9162 §2.1 Merkle tree: hashing, inclusion and consistency proofs.
//
// Bulwark's transparency logs hash as RFC 6962 does (SHA-256; a leaf is H(0x00 || data), a
// node H(0x01 || left || right), the empty tree SHA-256("")), so that their checkpoints are
// standard C2SP checkpoints any off-the-shelf witness can verify
// (../shared/notes/key-transparency.md §7).
//
// Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 and refuses what a malicious log could
// use to confuse a verifier: a proof element that is not exactly 32 bytes, a proof too short
// or too long by even one hash, an index outside the tree, and a consistency proof from the
// empty tree (meaningless: every tree is consistent with it, so a log asking for one is asking
// the verifier to trust it blindly).
//
// Proof generation here works on the full list of leaf hashes: the reference a stored log's
// proofs are tested against, and enough for small trees.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::kt {

inline constexpr std::size_t hash_bytes = 32;
using Hash = std::array<std::byte, hash_bytes>;

// A hash received from outside: Errc::invalid_encoding unless exactly 32 bytes.
[[nodiscard]] Result<Hash> to_hash(ByteView bytes);

[[nodiscard]] Hash leaf_hash(ByteView data);
[[nodiscard]] Hash node_hash(const Hash& left, const Hash& right);
[[nodiscard]] Hash empty_root();

// The root of the tree over `leaves` (already leaf hashes), RFC 9162 §2.1.1.
[[nodiscard]] Hash root_of(std::span<const Hash> leaves);
// The inclusion proof of leaf `index` in the tree over `leaves` (RFC 9162 §2.1.3.1).
// Requires index < leaves.size().
[[nodiscard]] std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index);
// The consistency proof from the tree of the first `old_size` leaves to the tree over all
// `leaves` (RFC 9162 §2.1.4.1). Requires 0 < old_size <= leaves.size().
[[nodiscard]] std::vector<Hash> consistency_proof(std::span<const Hash> leaves,
                                                  std::uint64_t old_size);

// Errc::verification_failed unless `proof` shows the leaf hash `leaf` at `index` in the tree
// of `size` leaves whose root is `root`.
[[nodiscard]] Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size,
                                            const Hash& leaf, std::span<const Hash> proof,
                                            const Hash& root);
// Errc::verification_failed unless `proof` shows the tree of `old_size` leaves with root
// `old_root` to be a prefix of the tree of `new_size` leaves with root `new_root`.
[[nodiscard]] Result<void> verify_consistency(std::uint64_t old_size, std::uint64_t new_size,
                                              const Hash& old_root, const Hash& new_root,
                                              std::span<const Hash> proof);

}  // namespace bulwark::kt
