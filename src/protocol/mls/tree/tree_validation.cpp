// A joiner's check of a whole ratchet tree (RFC 9420 §12.4.3.1).
#include "protocol/mls/tree/tree_validation.h"

#include <algorithm>
#include <string>

#include "protocol/mls/tree/parent_hash.h"

namespace bulwark::protocol::mls {
namespace {

tl::unexpected<Error> node_error(NodeIndex node, std::string_view rule, std::string_view detail) {
  return fail(Errc::invalid_message,
              "node " + node.to_string() + ": " + std::string(rule) + ": " + std::string(detail));
}

bool descends(NodeIndex leaf_node, NodeIndex ancestor) {
  const std::uint32_t k = level(ancestor);
  const std::uint64_t span = std::uint64_t{1} << (k + 1);
  const std::uint64_t first = (std::uint64_t{ancestor.value()} >> (k + 1)) << (k + 1);
  return leaf_node.value() >= first && leaf_node.value() < first + span;
}

// The rules for one unmerged leaf `leaf` listed by `parent`.
Result<void> check_unmerged_entry(const PublicTree& tree, NodeIndex parent, LeafIndex leaf) {
  const NodeIndex leaf_node = to_node(leaf);
  if (!descends(leaf_node, parent)) {
    return node_error(parent, tree_rule::unmerged_leaf_not_descendant,
                      "leaf " + leaf.to_string() + " is not below it");
  }
  if (!tree.leaf(leaf)) {
    return node_error(parent, tree_rule::unmerged_leaf_blank,
                      "leaf " + leaf.to_string() + " is blank");
  }
  const std::vector<NodeIndex> path = *direct_path(leaf_node, tree.leaf_count());
  for (NodeIndex between : path) {
    if (between == parent) break;
    const ParentNode* node = tree.parent_node(between);
    if (!node) continue;
    const auto& list = node->unmerged_leaves;
    if (std::find(list.begin(), list.end(), leaf.value()) == list.end()) {
      return node_error(between, tree_rule::unmerged_leaf_gap,
                        "it does not list leaf " + leaf.to_string() + ", which node " +
                            parent.to_string() + " lists as unmerged");
    }
  }
  return {};
}

}  // namespace

Result<void> verify_unmerged_leaves(const PublicTree& tree) {
  for (std::uint32_t i = 1; i < tree.node_width(); i += 2) {
    const NodeIndex index(i);
    const ParentNode* node = tree.parent_node(index);
    if (!node) continue;
    const auto& list = node->unmerged_leaves;
    for (std::size_t j = 0; j < list.size(); ++j) {
      if (j > 0 && list[j] <= list[j - 1]) {
        return node_error(index, tree_rule::unmerged_leaves_order,
                          "unmerged_leaves is not strictly increasing");
      }
      BULWARK_TRY(check_unmerged_entry(tree, index, LeafIndex(list[j])));
    }
  }
  return {};
}

Result<void> validate_tree(const PublicTree& tree, const GroupContext& context, LeafPolicy policy) {
  if (context.cipher_suite != static_cast<std::uint16_t>(tree.suite().id())) {
    return fail(Errc::invalid_argument, "the group context and the tree differ in cipher suite");
  }
  const Bytes root = BULWARK_TRY(tree.root_hash());
  if (root != context.tree_hash) {
    return fail(Errc::auth_failed, "ratchet tree: " + std::string(tree_rule::tree_hash) +
                                       ": the tree's hash is not the group context's tree_hash");
  }
  BULWARK_TRY(verify_parent_hashes(tree));
  const LeafValidator leaves =
      BULWARK_TRY(LeafValidator::create(tree, context.group_id, context.extensions, policy));
  for (LeafIndex member : tree.members()) BULWARK_TRY(leaves.check_tree_leaf(member));
  return verify_unmerged_leaves(tree);
}

}  // namespace bulwark::protocol::mls
