// PublicTree's storage: construction from and to the wire form, node access, and the key
// index that keeps encryption and signature keys unique. Queries over paths are in
// tree_paths.cpp, hashes in tree_hash.cpp, edits in tree_edits.cpp.
#include "protocol/mls/tree/public_tree.h"

#include <algorithm>
#include <string>
#include <utility>
#include <variant>

#include "protocol/mls/messages/limits.h"

namespace bulwark::protocol::mls {
namespace {

std::string key_of(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string node_name(NodeIndex index) {
  if (auto leaf = to_leaf(index)) return "leaf " + leaf->to_string();
  return "node " + index.to_string();
}

// Leaves at even positions, parents at odd ones; unmerged leaves inside the tree.
Result<void> check_node_shape(const std::optional<Node>& node, std::size_t index,
                              std::uint32_t leaf_count) {
  if (!node) return {};
  const bool is_leaf_node = std::holds_alternative<LeafNode>(node->body);
  if (is_leaf_node != (index % 2 == 0)) {
    return fail(Errc::invalid_message,
                "ratchet tree node " + std::to_string(index) + " has the wrong type");
  }
  if (is_leaf_node) return {};
  for (std::uint32_t unmerged : std::get<ParentNode>(node->body).unmerged_leaves) {
    if (unmerged >= leaf_count) {
      return fail(Errc::invalid_message, "ratchet tree node " + std::to_string(index) +
                                             ": an unmerged leaf is outside the tree");
    }
  }
  return {};
}

}  // namespace

PublicTree::PublicTree(const CipherSuite& suite, std::vector<std::optional<Node>> nodes)
    : suite_(suite), nodes_(std::move(nodes)) {
  leaf_count_ = (static_cast<std::uint32_t>(nodes_.size()) + 1) / 2;
  hashes_.resize(nodes_.size());
}

Result<PublicTree> PublicTree::create(const CipherSuite& suite, LeafNode creator) {
  std::vector<std::optional<Node>> nodes;
  nodes.emplace_back(Node{std::move(creator)});
  return from_wire(suite, RatchetTree{std::move(nodes)});
}

Result<PublicTree> PublicTree::from_wire(const CipherSuite& suite, const RatchetTree& tree) {
  const std::size_t count = tree.nodes.size();
  if (count == 0 || count > max_ratchet_tree_nodes) {
    return fail(Errc::invalid_message, "a ratchet tree has no nodes or too many");
  }
  const std::uint32_t leaves = full_leaf_count(static_cast<std::uint32_t>((count + 2) / 2));
  if (leaves > max_ratchet_tree_leaves) {
    return fail(Errc::invalid_message, "a ratchet tree has too many leaves");
  }
  std::vector<std::optional<Node>> nodes = tree.nodes;
  nodes.resize(mls::node_width(leaves));
  PublicTree out(suite, std::move(nodes));
  for (std::size_t i = 0; i < out.nodes_.size(); ++i) {
    BULWARK_TRY(check_node_shape(out.nodes_[i], i, leaves));
    if (!out.nodes_[i]) continue;
    if (auto indexed = out.index_keys(NodeIndex(static_cast<std::uint32_t>(i))); !indexed) {
      return fail(Errc::invalid_message, "ratchet tree " + indexed.error().context);
    }
    if (i % 2 == 0) ++out.member_count_;
  }
  if (out.member_count_ == 0) return fail(Errc::invalid_message, "a ratchet tree has no members");
  return out;
}

RatchetTree PublicTree::to_wire() const {
  RatchetTree out{nodes_};
  while (!out.nodes.empty() && !out.nodes.back()) out.nodes.pop_back();
  return out;
}

std::uint32_t PublicTree::node_width() const noexcept {
  return static_cast<std::uint32_t>(nodes_.size());
}

std::vector<LeafIndex> PublicTree::members() const {
  std::vector<LeafIndex> out;
  out.reserve(member_count_);
  for (std::uint32_t i = 0; i < leaf_count_; ++i) {
    if (nodes_[2 * std::size_t{i}]) out.emplace_back(i);
  }
  return out;
}

const std::optional<Node>* PublicTree::node(NodeIndex index) const noexcept {
  if (index.value() >= nodes_.size()) return nullptr;
  return &nodes_[index.value()];
}

const LeafNode* PublicTree::leaf(LeafIndex index) const noexcept {
  if (index.value() >= leaf_count_) return nullptr;
  const auto& slot = nodes_[to_node(index).value()];
  return slot ? std::get_if<LeafNode>(&slot->body) : nullptr;
}

const ParentNode* PublicTree::parent_node(NodeIndex index) const noexcept {
  if (index.value() >= nodes_.size() || !nodes_[index.value()]) return nullptr;
  return std::get_if<ParentNode>(&nodes_[index.value()]->body);
}

bool PublicTree::blank(NodeIndex index) const noexcept {
  return index.value() >= nodes_.size() || !nodes_[index.value()];
}

ByteView PublicTree::encryption_key(NodeIndex index) const noexcept {
  if (blank(index)) return {};
  return std::visit([](const auto& body) -> ByteView { return body.encryption_key; },
                    nodes_[index.value()]->body);
}

std::optional<LeafIndex> PublicTree::find_by_signature_key(ByteView key) const {
  const auto found = signature_keys_.find(key_of(key));
  if (found == signature_keys_.end()) return std::nullopt;
  return found->second;
}

std::optional<NodeIndex> PublicTree::find_by_encryption_key(ByteView key) const {
  const auto found = encryption_keys_.find(key_of(key));
  if (found == encryption_keys_.end()) return std::nullopt;
  return found->second;
}

std::optional<LeafIndex> PublicTree::find_leaf(const LeafNode& wanted) const {
  const auto index = find_by_signature_key(wanted.signature_key);
  if (!index || *leaf(*index) != wanted) return std::nullopt;
  return index;
}

LeafIndex PublicTree::next_free_leaf() const noexcept {
  std::uint32_t i = first_free_hint_;
  while (i < leaf_count_ && nodes_[2 * std::size_t{i}]) ++i;
  return LeafIndex(i);
}

// Refuses a node whose keys another node already holds.
Result<void> PublicTree::check_keys_free(NodeIndex index, const Node& value) const {
  const ByteView enc =
      std::visit([](const auto& body) -> ByteView { return body.encryption_key; }, value.body);
  if (auto holder = find_by_encryption_key(enc); holder && *holder != index) {
    return fail(Errc::conflict, node_name(index) +
                                    ": duplicate_encryption_key: the key is already on " +
                                    node_name(*holder));
  }
  if (const auto* leaf_node = std::get_if<LeafNode>(&value.body)) {
    const auto holder = find_by_signature_key(leaf_node->signature_key);
    if (holder && to_node(*holder) != index) {
      return fail(Errc::conflict, node_name(index) +
                                      ": duplicate_signature_key: the key is already on leaf " +
                                      holder->to_string());
    }
  }
  return {};
}

Result<crypto::Ed25519PublicKey> PublicTree::signature_key(LeafIndex index) const {
  const LeafNode* value = leaf(index);
  if (value == nullptr) {
    return fail(Errc::invalid_argument, "leaf " + index.to_string() + " is blank");
  }
  return signature_key_cache_.get(index, value->signature_key);
}

Result<void> PublicTree::index_keys(NodeIndex index) {
  const Node& value = *nodes_[index.value()];
  BULWARK_TRY(check_keys_free(index, value));
  encryption_keys_[key_of(encryption_key(index))] = index;
  if (const auto* leaf_node = std::get_if<LeafNode>(&value.body)) {
    signature_keys_[key_of(leaf_node->signature_key)] = *to_leaf(index);
  }
  return {};
}

void PublicTree::unindex_keys(NodeIndex index) {
  if (blank(index)) return;
  encryption_keys_.erase(key_of(encryption_key(index)));
  if (const auto* leaf_node = std::get_if<LeafNode>(&nodes_[index.value()]->body)) {
    signature_keys_.erase(key_of(leaf_node->signature_key));
  }
}

Result<void> PublicTree::put(NodeIndex index, std::optional<Node> value) {
  if (value) BULWARK_TRY(check_keys_free(index, *value));
  const bool is_leaf_slot = is_leaf(index);
  if (is_leaf_slot && nodes_[index.value()]) --member_count_;
  unindex_keys(index);
  nodes_[index.value()] = std::move(value);
  if (nodes_[index.value()]) {
    BULWARK_TRY(index_keys(index));
    if (is_leaf_slot) ++member_count_;
  } else if (is_leaf_slot) {
    first_free_hint_ = std::min(first_free_hint_, to_leaf(index)->value());
  }
  forget_hashes(index);
  return {};
}

}  // namespace bulwark::protocol::mls
