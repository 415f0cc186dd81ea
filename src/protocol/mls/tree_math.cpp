#include "protocol/mls/tree_math.h"

#include <algorithm>
#include <bit>

#include "common/result.h"

namespace bulwark::protocol::mls {
namespace {

void require_leaf_count(std::uint32_t n_leaves) {
  if (!valid_leaf_count(n_leaves)) {
    contract_violation("MLS tree math: leaf count is not a power of two in 1..2^31");
  }
}

// The ancestor of `node` at `target_level` (>= level(node)): clear the low bits below the
// subtree's position, then set the level's trailing ones. Computed in 64 bits so that the
// shift for level 31 is defined.
NodeIndex ancestor_at(NodeIndex node, std::uint32_t target_level) noexcept {
  const std::uint64_t shift = target_level + 1;
  const std::uint64_t high = (std::uint64_t{node.value()} >> shift) << shift;
  const std::uint64_t ones = (std::uint64_t{1} << target_level) - 1;
  return NodeIndex(static_cast<std::uint32_t>(high | ones));
}

}  // namespace

std::optional<LeafIndex> to_leaf(NodeIndex node) noexcept {
  if (!is_leaf(node)) return std::nullopt;
  return LeafIndex(node.value() / 2);
}

bool valid_leaf_count(std::uint32_t n_leaves) noexcept {
  return n_leaves >= 1 && n_leaves <= max_tree_leaves && std::has_single_bit(n_leaves);
}

std::uint32_t full_leaf_count(std::uint32_t members) {
  if (members == 0 || members > max_tree_leaves) {
    contract_violation("MLS tree math: member count out of 1..2^31");
  }
  return std::bit_ceil(members);
}

std::uint32_t level(NodeIndex node) noexcept {
  return static_cast<std::uint32_t>(std::countr_one(node.value()));
}

bool is_leaf(NodeIndex node) noexcept { return (node.value() & 1u) == 0; }

std::uint32_t node_width(std::uint32_t n_leaves) {
  require_leaf_count(n_leaves);
  return 2 * (n_leaves - 1) + 1;
}

// In a full tree the root is the node in the middle of the array.
NodeIndex root(std::uint32_t n_leaves) {
  require_leaf_count(n_leaves);
  return NodeIndex(n_leaves - 1);
}

bool in_tree(NodeIndex node, std::uint32_t n_leaves) { return node.value() < node_width(n_leaves); }

// A node at level k >= 1 has its children k - 1 levels down, 2^(k-1) positions either side.
std::optional<NodeIndex> left(NodeIndex node) noexcept {
  const std::uint32_t k = level(node);
  if (k == 0) return std::nullopt;
  return NodeIndex(node.value() ^ (std::uint32_t{1} << (k - 1)));
}

std::optional<NodeIndex> right(NodeIndex node) noexcept {
  const std::uint32_t k = level(node);
  if (k == 0) return std::nullopt;
  return NodeIndex(node.value() ^ (std::uint32_t{3} << (k - 1)));
}

std::optional<NodeIndex> parent(NodeIndex node, std::uint32_t n_leaves) {
  if (!in_tree(node, n_leaves) || node == root(n_leaves)) return std::nullopt;
  return ancestor_at(node, level(node) + 1);
}

std::optional<NodeIndex> sibling(NodeIndex node, std::uint32_t n_leaves) {
  const std::optional<NodeIndex> up = parent(node, n_leaves);
  if (!up) return std::nullopt;
  return node < *up ? right(*up) : left(*up);
}

std::optional<std::vector<NodeIndex>> direct_path(NodeIndex node, std::uint32_t n_leaves) {
  if (!in_tree(node, n_leaves)) return std::nullopt;
  std::vector<NodeIndex> path;
  path.reserve(level(root(n_leaves)));
  for (auto up = parent(node, n_leaves); up; up = parent(*up, n_leaves)) path.push_back(*up);
  return path;
}

std::optional<std::vector<NodeIndex>> copath(NodeIndex node, std::uint32_t n_leaves) {
  if (!in_tree(node, n_leaves)) return std::nullopt;
  std::vector<NodeIndex> path;
  path.reserve(level(root(n_leaves)));
  for (NodeIndex at = node; at != root(n_leaves); at = *parent(at, n_leaves)) {
    path.push_back(*sibling(at, n_leaves));
  }
  return path;
}

std::optional<NodeIndex> common_ancestor(NodeIndex a, NodeIndex b, std::uint32_t n_leaves) {
  if (!in_tree(a, n_leaves) || !in_tree(b, n_leaves)) return std::nullopt;
  for (std::uint32_t k = std::max(level(a), level(b));; ++k) {
    const NodeIndex candidate = ancestor_at(a, k);
    if (candidate == ancestor_at(b, k)) return candidate;
  }
}

}  // namespace bulwark::protocol::mls
