#include "protocol/mls/messages/types.h"

#include <string>
#include <type_traits>

namespace bulwark::protocol::mls {
namespace {

template <class E>
auto raw(E value) noexcept {
  return static_cast<std::underlying_type_t<E>>(value);
}

template <class E>
bool in_range(E value, unsigned last) noexcept {
  return raw(value) >= 1 && raw(value) <= last;
}

// A closed enum whose defined values are 1..last.
template <class E>
Result<E> read_closed(TlsReader& r, const char* name) {
  std::underlying_type_t<E> value{};
  if constexpr (sizeof(value) == 1) {
    value = BULWARK_TRY(r.u8());
  } else {
    value = BULWARK_TRY(r.u16());
  }
  const auto typed = static_cast<E>(value);
  if (!is_defined(typed)) {
    return fail(Errc::invalid_encoding,
                std::string(name) + " " + std::to_string(value) + " is not defined by RFC 9420");
  }
  return typed;
}

// A registry enum: any value but the reserved 0.
template <class E>
Result<E> read_registered(TlsReader& r, const char* name) {
  const std::uint16_t value = BULWARK_TRY(r.u16());
  if (value == 0) return fail(Errc::invalid_encoding, std::string(name) + " 0 is reserved");
  return static_cast<E>(value);
}

template <class E>
void write_closed(TlsWriter& w, E value) {
  if (!is_defined(value)) {
    w.reject();
    return;
  }
  if constexpr (sizeof(value) == 1) {
    w.u8(raw(value));
  } else {
    w.u16(raw(value));
  }
}

void write_registered(TlsWriter& w, std::uint16_t value) {
  if (value == 0) {
    w.reject();
    return;
  }
  w.u16(value);
}

}  // namespace

bool is_defined(ContentType value) noexcept { return in_range(value, 3); }
bool is_defined(SenderType value) noexcept { return in_range(value, 4); }
bool is_defined(WireFormat value) noexcept { return in_range(value, 5); }
bool is_defined(LeafNodeSource value) noexcept { return in_range(value, 3); }
bool is_defined(NodeType value) noexcept { return in_range(value, 2); }
bool is_defined(PSKType value) noexcept { return in_range(value, 2); }
bool is_defined(ResumptionPSKUsage value) noexcept { return in_range(value, 3); }
bool is_defined(ProposalOrRefType value) noexcept { return in_range(value, 2); }

void encode(TlsWriter& w, ProtocolVersion value) { write_registered(w, raw(value)); }
void encode(TlsWriter& w, ContentType value) { write_closed(w, value); }
void encode(TlsWriter& w, SenderType value) { write_closed(w, value); }
void encode(TlsWriter& w, WireFormat value) { write_closed(w, value); }
void encode(TlsWriter& w, CredentialType value) { write_registered(w, raw(value)); }
void encode(TlsWriter& w, ExtensionType value) { write_registered(w, raw(value)); }
void encode(TlsWriter& w, ProposalType value) { write_registered(w, raw(value)); }
void encode(TlsWriter& w, LeafNodeSource value) { write_closed(w, value); }
void encode(TlsWriter& w, NodeType value) { write_closed(w, value); }
void encode(TlsWriter& w, PSKType value) { write_closed(w, value); }
void encode(TlsWriter& w, ResumptionPSKUsage value) { write_closed(w, value); }
void encode(TlsWriter& w, ProposalOrRefType value) { write_closed(w, value); }
void encode_cipher_suite(TlsWriter& w, std::uint16_t value) { write_registered(w, value); }

Result<ProtocolVersion> decode_protocol_version(TlsReader& r) {
  return read_registered<ProtocolVersion>(r, "protocol version");
}
Result<ContentType> decode_content_type(TlsReader& r) {
  return read_closed<ContentType>(r, "content type");
}
Result<SenderType> decode_sender_type(TlsReader& r) {
  return read_closed<SenderType>(r, "sender type");
}
Result<WireFormat> decode_wire_format(TlsReader& r) {
  return read_closed<WireFormat>(r, "wire format");
}
Result<CredentialType> decode_credential_type(TlsReader& r) {
  return read_registered<CredentialType>(r, "credential type");
}
Result<ExtensionType> decode_extension_type(TlsReader& r) {
  return read_registered<ExtensionType>(r, "extension type");
}
Result<ProposalType> decode_proposal_type(TlsReader& r) {
  return read_registered<ProposalType>(r, "proposal type");
}
Result<LeafNodeSource> decode_leaf_node_source(TlsReader& r) {
  return read_closed<LeafNodeSource>(r, "leaf node source");
}
Result<NodeType> decode_node_type(TlsReader& r) { return read_closed<NodeType>(r, "node type"); }
Result<PSKType> decode_psk_type(TlsReader& r) { return read_closed<PSKType>(r, "psk type"); }
Result<ResumptionPSKUsage> decode_resumption_psk_usage(TlsReader& r) {
  return read_closed<ResumptionPSKUsage>(r, "resumption psk usage");
}
Result<ProposalOrRefType> decode_proposal_or_ref_type(TlsReader& r) {
  return read_closed<ProposalOrRefType>(r, "proposal-or-ref type");
}
Result<std::uint16_t> decode_cipher_suite(TlsReader& r) {
  return read_registered<std::uint16_t>(r, "cipher suite");
}

}  // namespace bulwark::protocol::mls
