#include "kt/merkle.h"

#include <bit>

#include "crypto/hash.h"
#include "kt/detail/proof_paths.h"

namespace bulwark::kt {
namespace {

constexpr std::byte leaf_prefix{0x00};
constexpr std::byte node_prefix{0x01};

Error proof_error(const char* what) {
  return Error{Errc::invalid_proof, std::string("merkle proof: ") + what};
}

// RFC 9162's verification walks the path up from a node: `fn` is its index in the level and
// `sn` the index of the level's last node. The proof's next hash is its left sibling when it
// is a right child, or when it is the last node (whose right sibling is missing, so the next
// hash joins it from the left higher up).
bool sibling_on_the_left(std::uint64_t fn, std::uint64_t sn) { return (fn & 1) != 0 || fn == sn; }

// A left child on the right edge has no sibling on the levels above it until it is a right
// child (or the root): those levels carry no proof hash.
void skip_levels_without_sibling(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

// The reference proofs hash the leaves of every range they need from scratch.
auto range_root_of(std::span<const Hash> leaves) {
  return [leaves](std::uint64_t start, std::uint64_t count) {
    return root_of(leaves.subspan(start, count));
  };
}

}  // namespace

Result<Hash> to_hash(ByteView bytes) {
  if (bytes.size() != hash_bytes) {
    return fail(Errc::invalid_length, "merkle hash: not 32 bytes");
  }
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

Hash leaf_hash(ByteView data) { return crypto::sha256({ByteView(&leaf_prefix, 1), data}); }

Hash node_hash(const Hash& left, const Hash& right) {
  return crypto::sha256({ByteView(&node_prefix, 1), left, right});
}

Hash empty_root() { return crypto::sha256(ByteView{}); }

Hash root_of(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_root();
  if (leaves.size() == 1) return leaves[0];
  const std::uint64_t k = detail::split_point(leaves.size());
  return node_hash(root_of(leaves.first(k)), root_of(leaves.subspan(k)));
}

std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index) {
  if (index >= leaves.size()) contract_violation("kt::inclusion_proof: index outside the tree");
  std::vector<Hash> proof;
  detail::append_inclusion_path(range_root_of(leaves), 0, leaves.size(), index, proof);
  return proof;
}

std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size) {
  if (old_size == 0 || old_size > leaves.size()) {
    contract_violation("kt::consistency_proof: old size outside 1..size");
  }
  std::vector<Hash> proof;
  detail::append_subproof(range_root_of(leaves), 0, leaves.size(), old_size, true, proof);
  return proof;
}

Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                              std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return tl::unexpected(proof_error("leaf index outside the tree"));
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return tl::unexpected(proof_error("inclusion proof too long"));
    if (sibling_on_the_left(fn, sn)) {
      r = node_hash(p, r);
      skip_levels_without_sibling(fn, sn);
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return tl::unexpected(proof_error("inclusion proof too short"));
  if (r != root) return tl::unexpected(proof_error("inclusion proof does not lead to the root"));
  return {};
}

Result<void> verify_consistency(std::uint64_t old_size, std::uint64_t new_size,
                                const Hash& old_root, const Hash& new_root,
                                std::span<const Hash> proof) {
  if (old_size == 0) {
    return tl::unexpected(proof_error("consistency with the empty tree proves nothing"));
  }
  if (old_size > new_size) return tl::unexpected(proof_error("old tree larger than new tree"));
  if (old_size == new_size) {
    if (!proof.empty()) return tl::unexpected(proof_error("consistency proof too long"));
    if (old_root != new_root) return tl::unexpected(proof_error("same size, different roots"));
    return {};
  }
  if (proof.empty()) return tl::unexpected(proof_error("consistency proof empty"));
  // An old tree that is a complete subtree is its own first node: the proof leaves it out.
  const bool old_is_complete = std::has_single_bit(old_size);
  std::size_t next = 0;
  const Hash& first = old_is_complete ? old_root : proof[next++];
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = first;
  Hash sr = first;
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return tl::unexpected(proof_error("consistency proof too long"));
    if (sibling_on_the_left(fn, sn)) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      skip_levels_without_sibling(fn, sn);
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return tl::unexpected(proof_error("consistency proof too short"));
  if (fr != old_root) return tl::unexpected(proof_error("proof does not lead to the old root"));
  if (sr != new_root) return tl::unexpected(proof_error("proof does not lead to the new root"));
  return {};
}

}  // namespace bulwark::kt
