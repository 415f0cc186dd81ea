// LeafNode (RFC 9420 §7.2): a member's public keys, credential and capabilities, and the
// LeafNodeTBS encoding its signature covers.
//
// The source-dependent part is two optionals: `lifetime` is present exactly when the source
// is key_package, `parent_hash` exactly when it is commit. The decoder fills them that way and
// the encoder rejects a leaf that breaks the rule, so a LeafNode value always has one
// encoding. Keys and the signature are opaque bytes here; checking them is the tree's job.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/credential.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     HPKEPublicKey encryption_key;
//     SignaturePublicKey signature_key;
//     Credential credential;
//     Capabilities capabilities;
//
//     LeafNodeSource leaf_node_source;
//     select (LeafNode.leaf_node_source) {
//         case key_package:
//             Lifetime lifetime;
//         case update:
//             struct{};
//         case commit:
//             opaque parent_hash<V>;
//     };
//
//     Extension extensions<V>;
//     /* SignWithLabel(., "LeafNodeTBS", LeafNodeTBS) */
//     opaque signature<V>;
// } LeafNode;
struct LeafNode {
  Bytes encryption_key;
  Bytes signature_key;
  Credential credential;
  Capabilities capabilities;
  LeafNodeSource leaf_node_source = LeafNodeSource::key_package;
  std::optional<Lifetime> lifetime;  // iff leaf_node_source == key_package
  std::optional<Bytes> parent_hash;  // iff leaf_node_source == commit
  std::vector<Extension> extensions;
  Bytes signature;

  bool operator==(const LeafNode&) const = default;
};

void encode(TlsWriter& w, const LeafNode& v);
[[nodiscard]] Result<LeafNode> decode_leaf_node(TlsReader& r);

// The LeafNodeTBS encoding (§7.2): the leaf without its signature, followed for the update
// and commit sources by the group id and the leaf's index; for key_package the last two
// arguments are not used.
//
// struct {
//     ... the fields of LeafNode up to and including extensions ...
//     select (LeafNodeTBS.leaf_node_source) {
//         case key_package:
//             struct{};
//         case update:
//             opaque group_id<V>;
//             uint32 leaf_index;
//         case commit:
//             opaque group_id<V>;
//             uint32 leaf_index;
//     };
// } LeafNodeTBS;
[[nodiscard]] Result<Bytes> leaf_node_tbs(const LeafNode& leaf, ByteView group_id,
                                          std::uint32_t leaf_index);

}  // namespace bulwark::protocol::mls
