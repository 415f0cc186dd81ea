// The enumerations of RFC 9420's wire structures, and their strict codecs.
//
// Two kinds of enum live here:
//  - closed ones whose value selects the layout that follows (ContentType, SenderType,
//    WireFormat, LeafNodeSource, NodeType, PSKType, ResumptionPSKUsage, ProposalOrRefType):
//    decoders refuse every value the RFC does not define, since nothing after it could be read;
//  - registry ones (ProtocolVersion, CredentialType, ExtensionType, ProposalType, and cipher
//    suites as plain uint16): new values are registered over time and GREASE values
//    (RFC 9420 §13.5) must pass through, so decoders keep any value except the reserved 0.
// Encoders apply the same rules and reject() a value the decoder would refuse.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "protocol/mls/codec.h"

namespace bulwark::protocol::mls {

// enum { reserved(0), mls10(1), (65535) } ProtocolVersion;
enum class ProtocolVersion : std::uint16_t { mls10 = 1 };

// enum { reserved(0), application(1), proposal(2), commit(3), (255) } ContentType;
enum class ContentType : std::uint8_t { application = 1, proposal = 2, commit = 3 };

// enum { reserved(0), member(1), external(2), new_member_proposal(3),
//        new_member_commit(4), (255) } SenderType;
enum class SenderType : std::uint8_t {
  member = 1,
  external = 2,
  new_member_proposal = 3,
  new_member_commit = 4,
};

// uint16 WireFormat; (the "MLS Wire Formats" registry, RFC 9420 §17.2)
enum class WireFormat : std::uint16_t {
  mls_public_message = 1,
  mls_private_message = 2,
  mls_welcome = 3,
  mls_group_info = 4,
  mls_key_package = 5,
};

// uint16 CredentialType; (registry, §17.5)
enum class CredentialType : std::uint16_t { basic = 1, x509 = 2 };

// uint16 ExtensionType; (registry, §17.3)
enum class ExtensionType : std::uint16_t {
  application_id = 1,
  ratchet_tree = 2,
  required_capabilities = 3,
  external_pub = 4,
  external_senders = 5,
};

// uint16 ProposalType; (registry, §17.4)
enum class ProposalType : std::uint16_t {
  add = 1,
  update = 2,
  remove = 3,
  psk = 4,
  reinit = 5,
  external_init = 6,
  group_context_extensions = 7,
};

// enum { reserved(0), key_package(1), update(2), commit(3), (255) } LeafNodeSource;
enum class LeafNodeSource : std::uint8_t { key_package = 1, update = 2, commit = 3 };

// enum { reserved(0), leaf(1), parent(2), (255) } NodeType;
enum class NodeType : std::uint8_t { leaf = 1, parent = 2 };

// enum { reserved(0), external(1), resumption(2), (255) } PSKType;
enum class PSKType : std::uint8_t { external = 1, resumption = 2 };

// enum { reserved(0), application(1), reinit(2), branch(3), (255) } ResumptionPSKUsage;
enum class ResumptionPSKUsage : std::uint8_t { application = 1, reinit = 2, branch = 3 };

// enum { reserved(0), proposal(1), reference(2), (255) } ProposalOrRefType;
enum class ProposalOrRefType : std::uint8_t { proposal = 1, reference = 2 };

// Closed enums: true when the RFC defines the value.
[[nodiscard]] bool is_defined(ContentType value) noexcept;
[[nodiscard]] bool is_defined(SenderType value) noexcept;
[[nodiscard]] bool is_defined(WireFormat value) noexcept;
[[nodiscard]] bool is_defined(LeafNodeSource value) noexcept;
[[nodiscard]] bool is_defined(NodeType value) noexcept;
[[nodiscard]] bool is_defined(PSKType value) noexcept;
[[nodiscard]] bool is_defined(ResumptionPSKUsage value) noexcept;
[[nodiscard]] bool is_defined(ProposalOrRefType value) noexcept;

void encode(TlsWriter& w, ProtocolVersion value);
void encode(TlsWriter& w, ContentType value);
void encode(TlsWriter& w, SenderType value);
void encode(TlsWriter& w, WireFormat value);
void encode(TlsWriter& w, CredentialType value);
void encode(TlsWriter& w, ExtensionType value);
void encode(TlsWriter& w, ProposalType value);
void encode(TlsWriter& w, LeafNodeSource value);
void encode(TlsWriter& w, NodeType value);
void encode(TlsWriter& w, PSKType value);
void encode(TlsWriter& w, ResumptionPSKUsage value);
void encode(TlsWriter& w, ProposalOrRefType value);
// CipherSuite is a plain uint16 (the suite objects live in cipher_suite.h); 0 is reserved.
void encode_cipher_suite(TlsWriter& w, std::uint16_t value);

[[nodiscard]] Result<ProtocolVersion> decode_protocol_version(TlsReader& r);
[[nodiscard]] Result<ContentType> decode_content_type(TlsReader& r);
[[nodiscard]] Result<SenderType> decode_sender_type(TlsReader& r);
[[nodiscard]] Result<WireFormat> decode_wire_format(TlsReader& r);
[[nodiscard]] Result<CredentialType> decode_credential_type(TlsReader& r);
[[nodiscard]] Result<ExtensionType> decode_extension_type(TlsReader& r);
[[nodiscard]] Result<ProposalType> decode_proposal_type(TlsReader& r);
[[nodiscard]] Result<LeafNodeSource> decode_leaf_node_source(TlsReader& r);
[[nodiscard]] Result<NodeType> decode_node_type(TlsReader& r);
[[nodiscard]] Result<PSKType> decode_psk_type(TlsReader& r);
[[nodiscard]] Result<ResumptionPSKUsage> decode_resumption_psk_usage(TlsReader& r);
[[nodiscard]] Result<ProposalOrRefType> decode_proposal_or_ref_type(TlsReader& r);
[[nodiscard]] Result<std::uint16_t> decode_cipher_suite(TlsReader& r);

}  // namespace bulwark::protocol::mls
