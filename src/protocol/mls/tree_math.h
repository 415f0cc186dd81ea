// Array-tree arithmetic for the MLS ratchet tree (RFC 9420 §4.1, §7.1 and Appendix C).
//
// The tree is stored as an array in in-order layout: leaves sit at even node indices, parent
// nodes at odd ones, and a node's level is its number of trailing one bits. MLS trees are
// always full: the leaf count is a power of two (§7.8 pads with blank leaves), so every
// function taking `n_leaves` requires 1 <= n_leaves <= max_tree_leaves and a power of two
// (checked: a contract violation otherwise, since the group state, never the wire, supplies
// the count). Node indices do come from the wire, so a node outside the tree is a value the
// caller tests with in_tree(); relations that do not exist (a leaf's child, the root's parent)
// are std::nullopt, never an abort.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/ids.h"

namespace bulwark::protocol::mls {

// A member's position among the leaves (0, 1, 2, ...), and a position in the node array.
using LeafIndex = StrongId<struct LeafIndexTag, std::uint32_t>;
using NodeIndex = StrongId<struct NodeIndexTag, std::uint32_t>;

// The largest tree we represent: node indices 0 .. 2^32 - 2 stay within uint32.
inline constexpr std::uint32_t max_tree_leaves = std::uint32_t{1} << 31;

[[nodiscard]] constexpr NodeIndex to_node(LeafIndex leaf) noexcept {
  return NodeIndex(leaf.value() * 2);
}
// The leaf at `node`, or nullopt for a parent node.
[[nodiscard]] std::optional<LeafIndex> to_leaf(NodeIndex node) noexcept;

// The smallest valid leaf count (a power of two) holding `members` leaves; members must be
// 1..max_tree_leaves.
[[nodiscard]] std::uint32_t full_leaf_count(std::uint32_t members);
[[nodiscard]] bool valid_leaf_count(std::uint32_t n_leaves) noexcept;

// The number of trailing one bits: 0 for leaves, the height above the leaves otherwise.
[[nodiscard]] std::uint32_t level(NodeIndex node) noexcept;
[[nodiscard]] bool is_leaf(NodeIndex node) noexcept;

// 2 * n_leaves - 1: the number of nodes.
[[nodiscard]] std::uint32_t node_width(std::uint32_t n_leaves);
[[nodiscard]] NodeIndex root(std::uint32_t n_leaves);
[[nodiscard]] bool in_tree(NodeIndex node, std::uint32_t n_leaves);

// Children of a parent node; nullopt for a leaf.
[[nodiscard]] std::optional<NodeIndex> left(NodeIndex node) noexcept;
[[nodiscard]] std::optional<NodeIndex> right(NodeIndex node) noexcept;
// nullopt for the root and for nodes outside the tree.
[[nodiscard]] std::optional<NodeIndex> parent(NodeIndex node, std::uint32_t n_leaves);
[[nodiscard]] std::optional<NodeIndex> sibling(NodeIndex node, std::uint32_t n_leaves);

// The ancestors of `node` from its parent up to the root (empty for the root), and their
// siblings' counterparts: copath[i] is the sibling of the child of direct_path[i] on the path.
// nullopt for a node outside the tree.
[[nodiscard]] std::optional<std::vector<NodeIndex>> direct_path(NodeIndex node,
                                                                std::uint32_t n_leaves);
[[nodiscard]] std::optional<std::vector<NodeIndex>> copath(NodeIndex node, std::uint32_t n_leaves);

// The lowest node whose subtree holds both `a` and `b` (a itself when a == b, or an ancestor
// of the other); nullopt if either is outside the tree.
[[nodiscard]] std::optional<NodeIndex> common_ancestor(NodeIndex a, NodeIndex b,
                                                       std::uint32_t n_leaves);

}  // namespace bulwark::protocol::mls
