// Proposals (RFC 9420 §12.1): every kind the RFC defines, plus proposal types it does not,
// kept as opaque bodies.
//
// A proposal type outside the RFC's seven is decoded as CustomProposal: its body read as one
// opaque<V> (the layout draft-ietf-mls-extensions and mls-rs give custom proposals), so that
// a message carrying one still decodes and re-encodes exactly. Whether the group accepts it
// (it must be in every member's capabilities) is the state machine's decision.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/key_package.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/psk_id.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     KeyPackage key_package;
// } Add;
struct Add {
  KeyPackage key_package;

  bool operator==(const Add&) const = default;
};

// struct {
//     LeafNode leaf_node;
// } Update;
struct Update {
  LeafNode leaf_node;

  bool operator==(const Update&) const = default;
};

// struct {
//     uint32 removed;
// } Remove;
struct Remove {
  std::uint32_t removed = 0;

  bool operator==(const Remove&) const = default;
};

// struct {
//     PreSharedKeyID psk;
// } PreSharedKey;
struct PreSharedKey {
  PreSharedKeyID psk;

  bool operator==(const PreSharedKey&) const = default;
};

// struct {
//     opaque group_id<V>;
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     Extension extensions<V>;
// } ReInit;
struct ReInit {
  Bytes group_id;
  ProtocolVersion version = ProtocolVersion::mls10;
  std::uint16_t cipher_suite = 0;
  std::vector<Extension> extensions;

  bool operator==(const ReInit&) const = default;
};

// struct {
//   opaque kem_output<V>;
// } ExternalInit;
struct ExternalInit {
  Bytes kem_output;

  bool operator==(const ExternalInit&) const = default;
};

// struct {
//   Extension extensions<V>;
// } GroupContextExtensions;
struct GroupContextExtensions {
  std::vector<Extension> extensions;

  bool operator==(const GroupContextExtensions&) const = default;
};

// Not an RFC struct: a proposal of a type outside 1..7, its body kept as opaque<V>. The
// encoder rejects one whose proposal_type is one of the RFC's own.
struct CustomProposal {
  ProposalType proposal_type = ProposalType::add;
  Bytes payload;

  bool operator==(const CustomProposal&) const = default;
};

// struct {
//     ProposalType proposal_type;
//     select (Proposal.proposal_type) {
//         case add:                      Add;
//         case update:                   Update;
//         case remove:                   Remove;
//         case psk:                      PreSharedKey;
//         case reinit:                   ReInit;
//         case external_init:            ExternalInit;
//         case group_context_extensions: GroupContextExtensions;
//     };
// } Proposal;
//
// The variant's alternative is the proposal type (proposal_type(p) names it).
struct Proposal {
  std::variant<Add, Update, Remove, PreSharedKey, ReInit, ExternalInit, GroupContextExtensions,
               CustomProposal>
      body;

  bool operator==(const Proposal&) const = default;
};

[[nodiscard]] ProposalType proposal_type(const Proposal& v) noexcept;

void encode(TlsWriter& w, const Add& v);
[[nodiscard]] Result<Add> decode_add(TlsReader& r);
void encode(TlsWriter& w, const Update& v);
[[nodiscard]] Result<Update> decode_update(TlsReader& r);
void encode(TlsWriter& w, const Remove& v);
[[nodiscard]] Result<Remove> decode_remove(TlsReader& r);
void encode(TlsWriter& w, const PreSharedKey& v);
[[nodiscard]] Result<PreSharedKey> decode_pre_shared_key(TlsReader& r);
void encode(TlsWriter& w, const ReInit& v);
[[nodiscard]] Result<ReInit> decode_re_init(TlsReader& r);
void encode(TlsWriter& w, const ExternalInit& v);
[[nodiscard]] Result<ExternalInit> decode_external_init(TlsReader& r);
void encode(TlsWriter& w, const GroupContextExtensions& v);
[[nodiscard]] Result<GroupContextExtensions> decode_group_context_extensions(TlsReader& r);
// CustomProposal's body only (its type is written by the Proposal).
void encode(TlsWriter& w, const CustomProposal& v);

void encode(TlsWriter& w, const Proposal& v);
[[nodiscard]] Result<Proposal> decode_proposal(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const Proposal& v);
[[nodiscard]] Result<Proposal> deserialize_proposal(ByteView input);

}  // namespace bulwark::protocol::mls
