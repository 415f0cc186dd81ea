// PublicTree's path queries: resolutions (§4.1.1) and filtered direct paths (§4.1.2).
#include <algorithm>
#include <utility>
#include <variant>

#include "protocol/mls/tree/public_tree.h"

namespace bulwark::protocol::mls {
namespace {

bool excluded_leaf(std::span<const LeafIndex> sorted_excluded, LeafIndex leaf) {
  return std::binary_search(sorted_excluded.begin(), sorted_excluded.end(), leaf);
}

// Depth-first, left first: a non-blank node stands for its subtree, followed by its unmerged
// leaves; a blank parent defers to its children. Recursion depth is the tree's height.
void resolve(const PublicTree& tree, NodeIndex index, std::span<const LeafIndex> excluded,
             std::vector<NodeIndex>& out) {
  if (!tree.blank(index)) {
    if (auto leaf = to_leaf(index)) {
      if (!excluded_leaf(excluded, *leaf)) out.push_back(index);
      return;
    }
    out.push_back(index);
    for (std::uint32_t unmerged : tree.parent_node(index)->unmerged_leaves) {
      if (!excluded_leaf(excluded, LeafIndex(unmerged)))
        out.push_back(to_node(LeafIndex(unmerged)));
    }
    return;
  }
  if (is_leaf(index)) return;
  resolve(tree, *left(index), excluded, out);
  resolve(tree, *right(index), excluded, out);
}

// Whether the resolution of `index` is empty: the whole subtree is blank (an unmerged leaf
// is listed only by a non-blank node above it, which already makes the resolution non-empty).
bool subtree_blank(const PublicTree& tree, NodeIndex index) {
  if (!tree.blank(index)) return false;
  if (is_leaf(index)) return true;
  return subtree_blank(tree, *left(index)) && subtree_blank(tree, *right(index));
}

}  // namespace

std::vector<NodeIndex> PublicTree::resolution(NodeIndex index) const {
  return resolution(index, {});
}

std::vector<NodeIndex> PublicTree::resolution(NodeIndex index,
                                              std::span<const LeafIndex> excluded) const {
  if (index.value() >= nodes_.size()) contract_violation("MLS resolution: node outside the tree");
  std::vector<LeafIndex> sorted(excluded.begin(), excluded.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<NodeIndex> out;
  resolve(*this, index, sorted, out);
  return out;
}

std::vector<PathStep> PublicTree::filtered_direct_path(LeafIndex leaf) const {
  if (leaf.value() >= leaf_count_) contract_violation("MLS filtered path: leaf outside the tree");
  const auto path = *direct_path(to_node(leaf), leaf_count_);
  const auto siblings = *copath(to_node(leaf), leaf_count_);
  std::vector<PathStep> out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!subtree_blank(*this, siblings[i])) out.push_back(PathStep{path[i], siblings[i]});
  }
  return out;
}

}  // namespace bulwark::protocol::mls
