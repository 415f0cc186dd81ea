#include "protocol/mls/messages/ratchet_tree.h"

#include <string>
#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::size_t unmerged_leaves_bytes = 4 * std::size_t{max_ratchet_tree_leaves};

// Leaves live at even array positions, parents at odd ones.
bool type_fits_position(NodeType type, std::size_t index) noexcept {
  return (type == NodeType::leaf) == (index % 2 == 0);
}

// Empty, too large, ending in a blank, or a node out of its place: a text saying which.
std::optional<std::string> shape_problem(const RatchetTree& tree) {
  if (tree.nodes.empty()) return "a ratchet tree has no nodes";
  if (tree.nodes.size() > max_ratchet_tree_nodes) return "a ratchet tree has too many nodes";
  if (!tree.nodes.back()) return "a ratchet tree ends with a blank node";
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    if (tree.nodes[i] && !type_fits_position(node_type(*tree.nodes[i]), i)) {
      return "ratchet tree node " + std::to_string(i) + " has the wrong type for its position";
    }
  }
  return std::nullopt;
}

Result<std::optional<Node>> decode_optional_node(TlsReader& r) {
  const bool present = BULWARK_TRY(r.present());
  if (!present) return std::optional<Node>();
  Node node = BULWARK_TRY(decode_node(r));
  return std::optional<Node>(std::move(node));
}

}  // namespace

NodeType node_type(const Node& v) noexcept {
  return std::holds_alternative<LeafNode>(v.body) ? NodeType::leaf : NodeType::parent;
}

void encode(TlsWriter& w, const ParentNode& v) {
  put_opaque(w, v.encryption_key, max_public_key_bytes);
  put_opaque(w, v.parent_hash, max_hash_bytes);
  encode_list(w, v.unmerged_leaves, unmerged_leaves_bytes, max_ratchet_tree_leaves,
              [](TlsWriter& inner, std::uint32_t leaf) { inner.u32(leaf); });
}

Result<ParentNode> decode_parent_node(TlsReader& r) {
  ParentNode out;
  out.encryption_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.parent_hash = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  out.unmerged_leaves =
      BULWARK_TRY(decode_list<std::uint32_t>(r, unmerged_leaves_bytes, max_ratchet_tree_leaves,
                                             [](TlsReader& item) { return item.u32(); }));
  return out;
}

void encode(TlsWriter& w, const Node& v) {
  encode(w, node_type(v));
  std::visit([&w](const auto& body) { encode(w, body); }, v.body);
}

Result<Node> decode_node(TlsReader& r) {
  const NodeType type = BULWARK_TRY(decode_node_type(r));
  if (type == NodeType::leaf) {
    LeafNode leaf = BULWARK_TRY(decode_leaf_node(r));
    return Node{std::move(leaf)};
  }
  ParentNode parent = BULWARK_TRY(decode_parent_node(r));
  return Node{std::move(parent)};
}

void encode(TlsWriter& w, const RatchetTree& v) {
  if (shape_problem(v)) {
    w.reject();
    return;
  }
  encode_list(w, v.nodes, max_list_bytes, max_ratchet_tree_nodes,
              [](TlsWriter& inner, const std::optional<Node>& node) {
                inner.present(node.has_value());
                if (node) encode(inner, *node);
              });
}

Result<RatchetTree> decode_ratchet_tree(TlsReader& r) {
  RatchetTree out;
  out.nodes = BULWARK_TRY(decode_list<std::optional<Node>>(
      r, max_list_bytes, max_ratchet_tree_nodes, decode_optional_node));
  if (auto problem = shape_problem(out)) return fail(Errc::invalid_encoding, std::move(*problem));
  return out;
}

Result<Bytes> serialize(const RatchetTree& v) { return serialize_with_encode(v); }

Result<RatchetTree> deserialize_ratchet_tree(ByteView input) {
  return decode_all(input, decode_ratchet_tree);
}

Result<Extension> ratchet_tree_extension(const RatchetTree& tree) {
  Bytes data = BULWARK_TRY(serialize(tree));
  return Extension{ExtensionType::ratchet_tree, std::move(data)};
}

Result<RatchetTree> ratchet_tree_from(const Extension& e) {
  if (e.extension_type != ExtensionType::ratchet_tree) {
    return fail(Errc::invalid_argument, "the extension is not a ratchet_tree");
  }
  return deserialize_ratchet_tree(e.extension_data);
}

}  // namespace bulwark::protocol::mls
