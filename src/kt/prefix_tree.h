// The server's prefix tree (draft-ietf-keytrans-protocol §2.2 and §11.2; hashing and proofs
// in kt/prefix_proof.h): an append-only map from 32-byte search keys to commitments, held in
// memory, that proves lookups of several keys at once.
//
// Append-only is the invariant key transparency rests on: a key, once inserted, keeps its
// commitment forever, so `insert` refuses a key that is already there. The tree's shape
// depends only on the set of keys, so anyone holding the same leaves (a witness auditing
// the log) computes the same root.
//
// Inserts mark the nodes on their path; `root()` rehashes only those, so a batch of
// insertions costs one hash per touched node however many keys share it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "kt/prefix_proof.h"

namespace bulwark::kt {

class PrefixTree {
 public:
  // Errc::conflict when `key` is in the tree (whatever its commitment).
  [[nodiscard]] Result<void> insert(const Hash& key, const Hash& commitment);

  [[nodiscard]] std::size_t size() const noexcept { return leaves_.size(); }
  [[nodiscard]] std::optional<Hash> find(const Hash& key) const;
  // The leaves in insertion order. Requires index < size().
  [[nodiscard]] const PrefixLeaf& leaf_at(std::size_t index) const;

  // The root after every insert so far (32 zero bytes for the empty tree).
  [[nodiscard]] Hash root();
  // A proof of the lookups of `keys`, results in their order, against root(). Requires 1 to
  // 255 distinct keys.
  [[nodiscard]] PrefixProof prove(std::span<const Hash> keys);

 private:
  static constexpr std::uint32_t none = UINT32_MAX;
  struct Node {
    Hash value{};
    std::uint32_t child[2] = {none, none};
    std::uint32_t leaf = none;  // index into leaves_ when this node is a leaf
    bool dirty = true;
  };

  std::uint32_t new_node(std::uint32_t leaf);
  void split_leaf(std::uint32_t node, std::size_t depth, const Hash& key);
  const Hash& rehash(std::uint32_t node);
  void prove_subtree(std::uint32_t node, std::size_t depth, std::span<const std::size_t> order,
                     std::span<const Hash> keys, PrefixProof& proof) const;

  std::vector<Node> nodes_;
  std::vector<PrefixLeaf> leaves_;
  std::uint32_t root_ = none;
};

}  // namespace bulwark::kt
