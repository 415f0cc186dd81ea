// PublicTree's edits: the Add, Update and Remove proposals (§12.1.1-12.1.3), extending and
// truncating (§7.7), and merging an UpdatePath (§7.5, §7.9).
#include <algorithm>
#include <string>
#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/tree/parent_hash.h"
#include "protocol/mls/tree/public_tree.h"

namespace bulwark::protocol::mls {
namespace {

std::string leaf_name(LeafIndex leaf) { return "leaf " + leaf.to_string(); }

}  // namespace

ParentNode* PublicTree::mutable_parent(NodeIndex index) {
  if (blank(index)) return nullptr;
  forget_hashes(index);
  return std::get_if<ParentNode>(&nodes_[index.value()]->body);
}

void PublicTree::blank_direct_path(LeafIndex leaf) {
  const std::vector<NodeIndex> path = *direct_path(to_node(leaf), leaf_count_);
  for (NodeIndex node : path) {
    if (!blank(node)) (void)put(node, std::nullopt);  // blanking cannot conflict
  }
}

// A new blank root whose left subtree is the old tree: old nodes keep their positions (and
// cached hashes).
void PublicTree::extend() {
  leaf_count_ *= 2;
  nodes_.resize(mls::node_width(leaf_count_));
  hashes_.resize(nodes_.size());
}

// Drops right halves holding no member, down to the smallest power of two above the
// rightmost member (§12.1.3).
void PublicTree::truncate() {
  std::uint32_t last = leaf_count_;
  while (last > 0 && !nodes_[2 * std::size_t{last - 1}]) --last;
  if (last == 0) return;
  const std::uint32_t target = full_leaf_count(last);
  if (target == leaf_count_) return;
  const std::uint32_t width = mls::node_width(target);
  for (std::uint32_t i = width; i < nodes_.size(); ++i) unindex_keys(NodeIndex(i));
  nodes_.resize(width);
  hashes_.resize(width);
  leaf_count_ = target;
  first_free_hint_ = std::min(first_free_hint_, leaf_count_);
}

Result<LeafIndex> PublicTree::add_leaf(LeafNode value) {
  Node node{std::move(value)};
  const LeafIndex index = next_free_leaf();
  BULWARK_TRY(check_keys_free(to_node(index), node));
  if (index.value() == leaf_count_) {
    if (leaf_count_ * 2 > max_ratchet_tree_leaves) {
      return fail(Errc::capacity_exceeded, "the ratchet tree is full");
    }
    extend();
  }
  const std::vector<NodeIndex> ancestors = *direct_path(to_node(index), leaf_count_);
  for (NodeIndex ancestor : ancestors) {
    if (ParentNode* p = mutable_parent(ancestor)) {
      auto& list = p->unmerged_leaves;
      list.insert(std::upper_bound(list.begin(), list.end(), index.value()), index.value());
    }
  }
  BULWARK_TRY(put(to_node(index), std::move(node)));
  first_free_hint_ = index.value() + 1;
  return index;
}

Result<void> PublicTree::update_leaf(LeafIndex index, LeafNode value) {
  if (!leaf(index)) return fail(Errc::invalid_argument, leaf_name(index) + " is not a member");
  Node node{std::move(value)};
  BULWARK_TRY(check_keys_free(to_node(index), node));
  blank_direct_path(index);
  return put(to_node(index), std::move(node));
}

Result<void> PublicTree::remove_leaf(LeafIndex index) {
  if (!leaf(index)) return fail(Errc::invalid_argument, leaf_name(index) + " is not a member");
  if (member_count_ == 1) return fail(Errc::invalid_argument, "cannot remove the last member");
  BULWARK_TRY(put(to_node(index), std::nullopt));
  blank_direct_path(index);
  truncate();
  return {};
}

Result<void> PublicTree::set_leaf(LeafIndex index, LeafNode value) {
  if (index.value() >= leaf_count_) {
    return fail(Errc::invalid_argument, leaf_name(index) + " is outside the tree");
  }
  return put(to_node(index), Node{std::move(value)});
}

Result<Bytes> PublicTree::set_path_keys(LeafIndex sender, std::span<const Bytes> public_keys) {
  if (!leaf(sender)) return fail(Errc::invalid_argument, leaf_name(sender) + " is not a member");
  const std::vector<PathStep> path = filtered_direct_path(sender);
  if (public_keys.size() != path.size()) {
    return fail(Errc::invalid_message, "an UpdatePath from " + leaf_name(sender) + " has " +
                                           std::to_string(public_keys.size()) +
                                           " nodes, its filtered direct path " +
                                           std::to_string(path.size()));
  }
  for (std::size_t i = 0; i < public_keys.size(); ++i) {
    const bool repeated =
        std::find(public_keys.begin(), public_keys.begin() + static_cast<std::ptrdiff_t>(i),
                  public_keys[i]) != public_keys.begin() + static_cast<std::ptrdiff_t>(i);
    if (repeated || find_by_encryption_key(public_keys[i])) {
      return fail(Errc::conflict, "UpdatePath node " + std::to_string(i) +
                                      ": duplicate_encryption_key: the key is already in use");
    }
  }
  blank_direct_path(sender);
  // Top down: each node's parent_hash is the parent hash of the next node up the path.
  Bytes above;
  for (std::size_t i = path.size(); i-- > 0;) {
    BULWARK_TRY(put(path[i].node, Node{ParentNode{public_keys[i], std::move(above), {}}}));
    above = BULWARK_TRY(parent_hash_of(*this, path[i].node, path[i].copath_child));
  }
  return above;
}

Result<void> PublicTree::merge_update_path(LeafIndex sender, const UpdatePath& update) {
  const LeafNode& new_leaf = update.leaf_node;
  if (new_leaf.leaf_node_source != LeafNodeSource::commit || !new_leaf.parent_hash) {
    return fail(
        Errc::invalid_message,
        leaf_name(sender) + ": leaf_node_source: an UpdatePath leaf must have source commit");
  }
  if (find_by_encryption_key(new_leaf.encryption_key)) {
    return fail(
        Errc::conflict,
        leaf_name(sender) + ": duplicate_encryption_key: the UpdatePath leaf's key is in use");
  }
  std::vector<Bytes> keys;
  keys.reserve(update.nodes.size());
  for (const UpdatePathNode& node : update.nodes) keys.push_back(node.encryption_key);
  const Bytes expected = BULWARK_TRY(set_path_keys(sender, keys));
  if (expected != *new_leaf.parent_hash) {
    return fail(Errc::auth_failed,
                leaf_name(sender) + ": parent_hash: the UpdatePath leaf's parent hash is wrong");
  }
  return set_leaf(sender, new_leaf);
}

}  // namespace bulwark::protocol::mls
