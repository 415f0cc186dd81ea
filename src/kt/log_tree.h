// A growing RFC 6962 / RFC 9162 log tree that answers root, inclusion and consistency
// queries for any of its past sizes in O(log n) hashes.
//
// It keeps the hash of every complete, aligned subtree (level k holds the roots of the
// subtrees of 2^k leaves at multiples of 2^k), so every node a proof needs is either stored
// or combined from O(log n) stored ones. That is 2n hashes of memory for n leaves: about
// 2 GB for a year of one epoch per second. The leaves themselves are the caller's to keep
// durable (the server stores its log entries and rebuilds this on start).
//
// Proofs are byte-identical to kt/merkle.h's reference proofs over the same leaves.
#pragma once

#include <cstdint>
#include <vector>

#include "kt/merkle.h"

namespace bulwark::kt {

class LogTree {
 public:
  // Appends a leaf hash (leaf_hash of the entry, not the entry).
  void append(const Hash& leaf);

  [[nodiscard]] std::uint64_t size() const noexcept {
    return levels_.empty() ? 0 : levels_[0].size();
  }
  // Requires index < size().
  [[nodiscard]] const Hash& leaf(std::uint64_t index) const;
  // The root of the tree of the first `tree_size` leaves. Requires tree_size <= size().
  [[nodiscard]] Hash root(std::uint64_t tree_size) const;
  [[nodiscard]] Hash root() const { return root(size()); }
  // Requires index < tree_size <= size().
  [[nodiscard]] std::vector<Hash> inclusion_proof(std::uint64_t index,
                                                  std::uint64_t tree_size) const;
  // Requires 0 < old_size <= new_size <= size().
  [[nodiscard]] std::vector<Hash> consistency_proof(std::uint64_t old_size,
                                                    std::uint64_t new_size) const;

 private:
  // The root of the leaves [start, start + count), for the ranges RFC 9162's recursion asks
  // for: a range of 2^k leaves always starts at a multiple of 2^k.
  [[nodiscard]] Hash range_root(std::uint64_t start, std::uint64_t count) const;

  std::vector<std::vector<Hash>> levels_;
};

}  // namespace bulwark::kt
