// Prefix-tree hashing, proofs and their verification (draft-ietf-keytrans-protocol §11.2
// "Prefix Tree" and §12.2, at ietf-wg-keytrans/draft-protocol@526cc8a1).
//
// The prefix tree maps 32-byte search keys (VRF outputs of label-versions) to 32-byte
// commitments. A leaf sits at the depth of its shortest unique prefix; a parent's left child
// holds the keys whose next bit is 0. Values:
//   leaf    = SHA-256(0x02 || vrf_output || commitment)
//   parent  = SHA-256(0x03 || left || right), a missing child counted as 32 zero bytes
//   empty tree = 32 zero bytes (the stand-in of a missing root).
//
//   struct { opaque vrf_output[32]; opaque commitment[32]; } PrefixLeaf;
//   struct { PrefixSearchResultType result_type;
//            select (result_type) { case nonInclusionLeaf: PrefixLeaf leaf; };
//            uint8 depth; } PrefixSearchResult;
//   struct { PrefixSearchResult results<0..2^8-1>; HashValue elements<0..2^16-1>; } PrefixProof;
//
// One proof covers several keys at once (a binary ladder): `results` in the order the keys
// were asked for, `elements` the copath values left to right, shared where paths meet.
// Depths run 0..256 here (two keys that differ only in their last bit put leaves at depth
// 256, which the draft's uint8 cannot say; our wire format gives depth two bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "kt/merkle.h"

namespace bulwark::kt {

inline constexpr std::size_t max_prefix_depth = 256;
inline constexpr std::size_t max_prefix_proof_keys = 255;

struct PrefixLeaf {
  Hash vrf_output{};
  Hash commitment{};
  friend bool operator==(const PrefixLeaf&, const PrefixLeaf&) = default;
};

enum class PrefixResultType : std::uint8_t {
  inclusion = 1,             // a leaf for the key itself
  non_inclusion_leaf = 2,    // a leaf for another key with the same prefix
  non_inclusion_parent = 3,  // a missing child (or the empty tree): no key with this prefix
};

struct PrefixSearchResult {
  PrefixResultType type = PrefixResultType::non_inclusion_parent;
  std::optional<PrefixLeaf> leaf;  // exactly when type == non_inclusion_leaf
  std::uint16_t depth = 0;         // of the terminal node (of the missing child for parents)
  friend bool operator==(const PrefixSearchResult&, const PrefixSearchResult&) = default;
};

struct PrefixProof {
  std::vector<PrefixSearchResult> results;
  std::vector<Hash> elements;
  friend bool operator==(const PrefixProof&, const PrefixProof&) = default;
};

// One key a verifier looks up, with the commitment it expects when the key is included
// (known from a ladder step or computed from the opened value). A proof that shows the key
// included is refused when `commitment` is empty, and one that shows it absent when it is
// set: the caller decides beforehand what it expects, the proof only confirms it.
struct PrefixLookup {
  Hash key{};
  std::optional<Hash> commitment;
};

[[nodiscard]] Hash prefix_leaf_value(const PrefixLeaf& leaf);
[[nodiscard]] Hash prefix_parent_value(const Hash& left, const Hash& right);
[[nodiscard]] const Hash& prefix_stand_in();  // 32 zero bytes

// Bit `index` (0 = most significant bit of byte 0) of a search key.
[[nodiscard]] bool key_bit(const Hash& key, std::size_t index);

// The prefix-tree root that `proof` leads to for `lookups` (in the order the proof's results
// are listed). Errc::invalid_proof when the proof is malformed (wrong result count, duplicate
// keys, a leaf that does not share the key's prefix, a depth beyond 256, elements left over
// or missing) or does not match the expectations in `lookups`. The caller compares the root
// with the one it trusts.
[[nodiscard]] Result<Hash> prefix_root_from_proof(std::span<const PrefixLookup> lookups,
                                                  const PrefixProof& proof);

}  // namespace bulwark::kt
