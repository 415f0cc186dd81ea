// Commit and UpdatePath (RFC 9420 §12.4, §7.6), with HPKECiphertext (also used by Welcome).
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// opaque HashReference<V>;
// HashReference KeyPackageRef;
// HashReference ProposalRef;
using KeyPackageRef = Bytes;
using ProposalRef = Bytes;

// struct {
//     opaque kem_output<V>;
//     opaque ciphertext<V>;
// } HPKECiphertext;
struct HPKECiphertext {
  Bytes kem_output;
  Bytes ciphertext;

  bool operator==(const HPKECiphertext&) const = default;
};

// struct {
//     HPKEPublicKey encryption_key;
//     HPKECiphertext encrypted_path_secret<V>;
// } UpdatePathNode;
struct UpdatePathNode {
  Bytes encryption_key;
  std::vector<HPKECiphertext> encrypted_path_secret;

  bool operator==(const UpdatePathNode&) const = default;
};

// struct {
//     LeafNode leaf_node;
//     UpdatePathNode nodes<V>;
// } UpdatePath;
struct UpdatePath {
  LeafNode leaf_node;
  std::vector<UpdatePathNode> nodes;

  bool operator==(const UpdatePath&) const = default;
};

// struct {
//   ProposalOrRefType type;
//   select (ProposalOrRef.type) {
//     case proposal:  Proposal proposal;
//     case reference: ProposalRef reference;
//   };
// } ProposalOrRef;
//
// The variant's alternative is the type (proposal_or_ref_type(p) names it).
struct ProposalOrRef {
  std::variant<Proposal, ProposalRef> body;

  bool operator==(const ProposalOrRef&) const = default;
};

[[nodiscard]] ProposalOrRefType proposal_or_ref_type(const ProposalOrRef& v) noexcept;

// struct {
//     ProposalOrRef proposals<V>;
//     optional<UpdatePath> path;
// } Commit;
struct Commit {
  std::vector<ProposalOrRef> proposals;
  std::optional<UpdatePath> path;

  bool operator==(const Commit&) const = default;
};

void encode(TlsWriter& w, const HPKECiphertext& v);
[[nodiscard]] Result<HPKECiphertext> decode_hpke_ciphertext(TlsReader& r);
void encode(TlsWriter& w, const UpdatePathNode& v);
[[nodiscard]] Result<UpdatePathNode> decode_update_path_node(TlsReader& r);
void encode(TlsWriter& w, const UpdatePath& v);
[[nodiscard]] Result<UpdatePath> decode_update_path(TlsReader& r);
void encode(TlsWriter& w, const ProposalOrRef& v);
[[nodiscard]] Result<ProposalOrRef> decode_proposal_or_ref(TlsReader& r);
void encode(TlsWriter& w, const Commit& v);
[[nodiscard]] Result<Commit> decode_commit(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const Commit& v);
[[nodiscard]] Result<Commit> deserialize_commit(ByteView input);

}  // namespace bulwark::protocol::mls
