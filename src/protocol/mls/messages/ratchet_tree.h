// The public ratchet tree as it travels in the ratchet_tree extension (RFC 9420 §12.4.3.3):
// ParentNode, Node, and the array of optional nodes in in-order (array) position.
//
// Structural rules the decoder enforces (and the encoder rejects the opposite of): the array
// is not empty, holds at most max_ratchet_tree_nodes entries, its last entry is not blank
// (§12.4.3.3), and every entry sits where its type belongs: leaves at even positions, parents at
// odd ones (§4.1, array-based trees). Everything semantic (hashes, keys, signatures) is the tree's.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     uint32 unmerged_leaves<V>;
// } ParentNode;
struct ParentNode {
  Bytes encryption_key;
  Bytes parent_hash;
  std::vector<std::uint32_t> unmerged_leaves;

  bool operator==(const ParentNode&) const = default;
};

// struct {
//     NodeType node_type;
//     select (Node.node_type) {
//         case leaf:   LeafNode leaf_node;
//         case parent: ParentNode parent_node;
//     };
// } Node;
//
// The variant's alternative is the node type (node_type(node) names it).
struct Node {
  std::variant<LeafNode, ParentNode> body;

  bool operator==(const Node&) const = default;
};

[[nodiscard]] NodeType node_type(const Node& v) noexcept;

// optional<Node> ratchet_tree<V>;
// nodes[i] is the node at array index i; std::nullopt is a blank node.
struct RatchetTree {
  std::vector<std::optional<Node>> nodes;

  bool operator==(const RatchetTree&) const = default;
};

void encode(TlsWriter& w, const ParentNode& v);
[[nodiscard]] Result<ParentNode> decode_parent_node(TlsReader& r);
void encode(TlsWriter& w, const Node& v);
[[nodiscard]] Result<Node> decode_node(TlsReader& r);
void encode(TlsWriter& w, const RatchetTree& v);
[[nodiscard]] Result<RatchetTree> decode_ratchet_tree(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const RatchetTree& v);
[[nodiscard]] Result<RatchetTree> deserialize_ratchet_tree(ByteView input);

// The ratchet_tree extension carrying `tree`, for a GroupInfo's extensions.
[[nodiscard]] Result<Extension> ratchet_tree_extension(const RatchetTree& tree);
// The tree in a ratchet_tree extension (invalid_argument if `e` is of another type).
[[nodiscard]] Result<RatchetTree> ratchet_tree_from(const Extension& e);

}  // namespace bulwark::protocol::mls
