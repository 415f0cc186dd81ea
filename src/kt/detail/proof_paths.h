// RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF, written once over "the root of the leaves
// [start, start + count)" so that the reference proofs over a list of leaf hashes
// (kt/merkle.h) and the stored log's O(log n) proofs (kt/log_tree.h) are the same code.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "kt/merkle.h"

namespace bulwark::kt::detail {

// The largest power of two smaller than n (n >= 2): where RFC 9162 splits a tree of n leaves.
inline std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

// Appends PATH(index, D[start : start + count]). `range_root(start, count)` returns the
// root of those leaves.
template <class RangeRoot>
void append_inclusion_path(const RangeRoot& range_root, std::uint64_t start, std::uint64_t count,
                           std::uint64_t index, std::vector<Hash>& out) {
  if (count <= 1) return;
  const std::uint64_t k = split_point(count);
  if (index < k) {
    append_inclusion_path(range_root, start, k, index, out);
    out.push_back(range_root(start + k, count - k));
  } else {
    append_inclusion_path(range_root, start + k, count - k, index - k, out);
    out.push_back(range_root(start, k));
  }
}

// Appends SUBPROOF(m, D[start : start + count], whole): `whole` says whether the old tree is
// this whole subtree (its root is then known to the verifier and left out).
template <class RangeRoot>
void append_subproof(const RangeRoot& range_root, std::uint64_t start, std::uint64_t count,
                     std::uint64_t m, bool whole, std::vector<Hash>& out) {
  if (m == count) {
    if (!whole) out.push_back(range_root(start, count));
    return;
  }
  const std::uint64_t k = split_point(count);
  if (m <= k) {
    append_subproof(range_root, start, k, m, whole, out);
    out.push_back(range_root(start + k, count - k));
  } else {
    append_subproof(range_root, start + k, count - k, m - k, false, out);
    out.push_back(range_root(start, k));
  }
}

}  // namespace bulwark::kt::detail
