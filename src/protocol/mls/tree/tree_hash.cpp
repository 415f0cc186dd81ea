// PublicTree's tree hashes (RFC 9420 §7.8), cached per node.
//
// struct {
//   NodeType node_type;
//   select (TreeHashInput.node_type) {
//     case leaf:   LeafNodeHashInput leaf_node;
//     case parent: ParentNodeHashInput parent_node;
//   };
// } TreeHashInput;
//
// struct {
//     uint32 leaf_index;
//     optional<LeafNode> leaf_node;
// } LeafNodeHashInput;
//
// struct {
//     optional<ParentNode> parent_node;
//     opaque left_hash<V>;
//     opaque right_hash<V>;
// } ParentNodeHashInput;
//
// Cache invariant: a node's hash is cached only if its children's are, so forgetting a
// node's hash forgets its ancestors' and may stop at the first ancestor already forgotten.
#include <algorithm>
#include <utility>

#include "protocol/mls/tree/public_tree.h"

namespace bulwark::protocol::mls {
namespace {

Result<Bytes> hash_leaf_input(const CipherSuite& suite, LeafIndex leaf, const LeafNode* value) {
  const Bytes input = BULWARK_TRY(encode_with([&](TlsWriter& w) {
    encode(w, NodeType::leaf);
    w.u32(leaf.value());
    w.present(value != nullptr);
    if (value) encode(w, *value);
  }));
  return suite.hash(input);
}

Result<Bytes> hash_parent_input(const CipherSuite& suite, const ParentNode* value,
                                ByteView left_hash, ByteView right_hash) {
  const Bytes input = BULWARK_TRY(encode_with([&](TlsWriter& w) {
    encode(w, NodeType::parent);
    w.present(value != nullptr);
    if (value) encode(w, *value);
    w.opaque(left_hash);
    w.opaque(right_hash);
  }));
  return suite.hash(input);
}

// The leaves under `index`: [first, first + 2^level).
std::pair<std::uint32_t, std::uint32_t> leaf_span(NodeIndex index) {
  const std::uint32_t k = level(index);
  const std::uint32_t first =
      static_cast<std::uint32_t>((std::uint64_t{index.value()} >> (k + 1)) << k);
  return {first, first + (std::uint32_t{1} << k)};
}

bool any_in(std::span<const std::uint32_t> sorted, std::pair<std::uint32_t, std::uint32_t> span) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), span.first);
  return it != sorted.end() && *it < span.second;
}

// The hash of `index` with the (sorted) `removed` leaves blanked and dropped from unmerged
// lists; subtrees holding none of them use the cached hashes.
Result<Bytes> hash_without(const PublicTree& tree, NodeIndex index,
                           std::span<const std::uint32_t> removed) {
  if (!any_in(removed, leaf_span(index))) return tree.tree_hash(index);
  if (auto leaf = to_leaf(index)) return hash_leaf_input(tree.suite(), *leaf, nullptr);
  const Bytes left_hash = BULWARK_TRY(hash_without(tree, *left(index), removed));
  const Bytes right_hash = BULWARK_TRY(hash_without(tree, *right(index), removed));
  const ParentNode* original = tree.parent_node(index);
  if (!original) return hash_parent_input(tree.suite(), nullptr, left_hash, right_hash);
  ParentNode trimmed = *original;
  std::erase_if(trimmed.unmerged_leaves, [&](std::uint32_t leaf) {
    return std::binary_search(removed.begin(), removed.end(), leaf);
  });
  return hash_parent_input(tree.suite(), &trimmed, left_hash, right_hash);
}

}  // namespace

Result<Bytes> PublicTree::tree_hash(NodeIndex index) const {
  if (index.value() >= nodes_.size()) {
    return fail(Errc::invalid_argument, "tree hash of a node outside the tree");
  }
  return compute_hash(index);
}

Result<Bytes> PublicTree::root_hash() const { return compute_hash(root(leaf_count_)); }

Result<Bytes> PublicTree::tree_hash_without(NodeIndex index,
                                            std::span<const std::uint32_t> removed) const {
  if (index.value() >= nodes_.size()) {
    return fail(Errc::invalid_argument, "tree hash of a node outside the tree");
  }
  std::vector<std::uint32_t> sorted(removed.begin(), removed.end());
  std::sort(sorted.begin(), sorted.end());
  return hash_without(*this, index, sorted);
}

Result<Bytes> PublicTree::compute_hash(NodeIndex index) const {
  auto& cached = hashes_[index.value()];
  if (cached) return *cached;
  Bytes hash;
  if (auto leaf_index = to_leaf(index)) {
    hash = BULWARK_TRY(hash_leaf_input(suite_, *leaf_index, leaf(*leaf_index)));
  } else {
    const Bytes left_hash = BULWARK_TRY(compute_hash(*left(index)));
    const Bytes right_hash = BULWARK_TRY(compute_hash(*right(index)));
    hash = BULWARK_TRY(hash_parent_input(suite_, parent_node(index), left_hash, right_hash));
  }
  cached = hash;
  return hash;
}

void PublicTree::forget_hashes(NodeIndex index) const {
  std::optional<NodeIndex> at = index;
  while (at && at->value() < hashes_.size()) {
    auto& cached = hashes_[at->value()];
    if (!cached && *at != index) return;
    cached.reset();
    at = mls::parent(*at, leaf_count_);
  }
}

}  // namespace bulwark::protocol::mls
