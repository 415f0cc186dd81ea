#include "protocol/mls/tree/parent_hash.h"

#include <algorithm>
#include <string>
#include <vector>

namespace bulwark::protocol::mls {
namespace {

// The parent_hash field of a node that has one: a parent node, or a leaf with source commit.
const Bytes* parent_hash_field(const PublicTree& tree, NodeIndex index) {
  if (const ParentNode* p = tree.parent_node(index)) return &p->parent_hash;
  if (auto leaf_index = to_leaf(index)) {
    const LeafNode* leaf = tree.leaf(*leaf_index);
    if (leaf && leaf->parent_hash) return &*leaf->parent_hash;
  }
  return nullptr;
}

// §7.9.2's last criterion: `parent`'s unmerged leaves under `child` are exactly the
// resolution of `child` without `linked`.
bool unmerged_match(const ParentNode& parent_value, NodeIndex child,
                    const std::vector<NodeIndex>& child_resolution, NodeIndex linked) {
  const std::uint32_t k = level(child);
  const std::uint32_t first =
      static_cast<std::uint32_t>((std::uint64_t{child.value()} >> (k + 1)) << k);
  const std::uint32_t end = first + (std::uint32_t{1} << k);
  std::vector<NodeIndex> unmerged;
  for (std::uint32_t leaf : parent_value.unmerged_leaves) {
    if (leaf >= first && leaf < end) unmerged.push_back(to_node(LeafIndex(leaf)));
  }
  std::vector<NodeIndex> rest;
  for (NodeIndex n : child_resolution) {
    if (n != linked) rest.push_back(n);
  }
  std::sort(unmerged.begin(), unmerged.end());
  std::sort(rest.begin(), rest.end());
  return unmerged == rest;
}

// How many nodes under `child` link to `parent` by parent hash (with `sibling` the other
// child).
Result<int> count_links(const PublicTree& tree, NodeIndex parent, NodeIndex child,
                        NodeIndex sibling) {
  const std::vector<NodeIndex> child_resolution = tree.resolution(child);
  if (child_resolution.empty()) return 0;
  const Bytes expected = BULWARK_TRY(parent_hash_of(tree, parent, sibling));
  int links = 0;
  for (NodeIndex candidate : child_resolution) {
    const Bytes* field = parent_hash_field(tree, candidate);
    if (!field || *field != expected) continue;
    if (unmerged_match(*tree.parent_node(parent), child, child_resolution, candidate)) {
      ++links;
    }
  }
  return links;
}

}  // namespace

Result<Bytes> hash_parent_hash_input(const CipherSuite& suite, ByteView encryption_key,
                                     ByteView parent_hash, ByteView original_sibling_tree_hash) {
  const Bytes input = BULWARK_TRY(encode_with([&](TlsWriter& w) {
    w.opaque(encryption_key);
    w.opaque(parent_hash);
    w.opaque(original_sibling_tree_hash);
  }));
  return suite.hash(input);
}

Result<Bytes> parent_hash_of(const PublicTree& tree, NodeIndex parent, NodeIndex sibling) {
  const ParentNode* value = tree.parent_node(parent);
  if (!value) return fail(Errc::invalid_argument, "parent hash of a blank or leaf node");
  if (sibling != left(parent) && sibling != right(parent)) {
    return fail(Errc::invalid_argument, "parent hash with a sibling that is not a child");
  }
  const Bytes original = BULWARK_TRY(tree.tree_hash_without(sibling, value->unmerged_leaves));
  return hash_parent_hash_input(tree.suite(), value->encryption_key, value->parent_hash, original);
}

Result<void> verify_parent_hashes(const PublicTree& tree) {
  for (std::uint32_t i = 1; i < tree.node_width(); i += 2) {
    const NodeIndex parent(i);
    if (tree.blank(parent)) continue;
    const NodeIndex l = *left(parent);
    const NodeIndex r = *right(parent);
    const int from_left = BULWARK_TRY(count_links(tree, parent, l, r));
    const int from_right = BULWARK_TRY(count_links(tree, parent, r, l));
    if (from_left + from_right != 1) {
      return fail(Errc::auth_failed, "node " + std::to_string(i) + ": parent_hash: linked to by " +
                                         std::to_string(from_left + from_right) +
                                         " nodes below it, not exactly one");
    }
  }
  return {};
}

}  // namespace bulwark::protocol::mls
