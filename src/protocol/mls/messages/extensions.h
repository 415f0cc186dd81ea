// Extensions, Capabilities and Lifetime (RFC 9420 §7.2, §13).
//
// An Extension is a type and opaque data, so unknown and GREASE extension types round-trip
// untouched; the bodies of the types we know are decoded on demand (known_extensions.h,
// ratchet_tree.h). A list of extensions may hold each type at most once (§13): the decoder
// refuses a repeated type and the encoder rejects one.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     ExtensionType extension_type;
//     opaque extension_data<V>;
// } Extension;
struct Extension {
  ExtensionType extension_type = ExtensionType::application_id;
  Bytes extension_data;

  bool operator==(const Extension&) const = default;
};

// struct {
//     ProtocolVersion versions<V>;
//     CipherSuite cipher_suites<V>;
//     ExtensionType extensions<V>;
//     ProposalType proposals<V>;
//     CredentialType credentials<V>;
// } Capabilities;
//
// Every list may hold values we do not know (GREASE, newer registrations); only the reserved
// value 0 is refused.
struct Capabilities {
  std::vector<ProtocolVersion> versions;
  std::vector<std::uint16_t> cipher_suites;
  std::vector<ExtensionType> extensions;
  std::vector<ProposalType> proposals;
  std::vector<CredentialType> credentials;

  bool operator==(const Capabilities&) const = default;
};

// struct {
//     uint64 not_before;
//     uint64 not_after;
// } Lifetime;
struct Lifetime {
  std::uint64_t not_before = 0;
  std::uint64_t not_after = 0;

  bool operator==(const Lifetime&) const = default;
};

void encode(TlsWriter& w, const Extension& v);
[[nodiscard]] Result<Extension> decode_extension(TlsReader& r);
// Extension extensions<V>: at most max_extensions, each type at most once.
void encode_extensions(TlsWriter& w, const std::vector<Extension>& v);
[[nodiscard]] Result<std::vector<Extension>> decode_extensions(TlsReader& r);
// The extension of `type` in `list`, or nullptr.
[[nodiscard]] const Extension* find_extension(const std::vector<Extension>& list,
                                              ExtensionType type) noexcept;

void encode(TlsWriter& w, const Capabilities& v);
[[nodiscard]] Result<Capabilities> decode_capabilities(TlsReader& r);
void encode(TlsWriter& w, const Lifetime& v);
[[nodiscard]] Result<Lifetime> decode_lifetime(TlsReader& r);

// Lists of registry values, shared with RequiredCapabilities.
void encode_extension_types(TlsWriter& w, const std::vector<ExtensionType>& v);
[[nodiscard]] Result<std::vector<ExtensionType>> decode_extension_types(TlsReader& r);
void encode_proposal_types(TlsWriter& w, const std::vector<ProposalType>& v);
[[nodiscard]] Result<std::vector<ProposalType>> decode_proposal_types(TlsReader& r);
void encode_credential_types(TlsWriter& w, const std::vector<CredentialType>& v);
[[nodiscard]] Result<std::vector<CredentialType>> decode_credential_types(TlsReader& r);

}  // namespace bulwark::protocol::mls
