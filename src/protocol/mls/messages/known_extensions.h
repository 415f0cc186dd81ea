// The bodies of the extension types RFC 9420 defines (§17.3), read from and written to an
// Extension's extension_data: application_id (§5.3.3), required_capabilities (§11.1),
// external_pub (§12.4.3.2) and external_senders (§12.1.8.1). The ratchet_tree body is in
// ratchet_tree.h.
#pragma once

#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/credential.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// opaque application_id<V>;
struct ApplicationId {
  Bytes application_id;

  bool operator==(const ApplicationId&) const = default;
};

// struct {
//     ExtensionType extension_types<V>;
//     ProposalType proposal_types<V>;
//     CredentialType credential_types<V>;
// } RequiredCapabilities;
struct RequiredCapabilities {
  std::vector<ExtensionType> extension_types;
  std::vector<ProposalType> proposal_types;
  std::vector<CredentialType> credential_types;

  bool operator==(const RequiredCapabilities&) const = default;
};

// struct {
//     HPKEPublicKey external_pub;
// } ExternalPub;
struct ExternalPub {
  Bytes external_pub;

  bool operator==(const ExternalPub&) const = default;
};

// struct {
//   SignaturePublicKey signature_key;
//   Credential credential;
// } ExternalSender;
struct ExternalSender {
  Bytes signature_key;
  Credential credential;

  bool operator==(const ExternalSender&) const = default;
};

// ExternalSender external_senders<V>;
struct ExternalSenders {
  std::vector<ExternalSender> senders;

  bool operator==(const ExternalSenders&) const = default;
};

void encode(TlsWriter& w, const ApplicationId& v);
[[nodiscard]] Result<ApplicationId> decode_application_id(TlsReader& r);
void encode(TlsWriter& w, const RequiredCapabilities& v);
[[nodiscard]] Result<RequiredCapabilities> decode_required_capabilities(TlsReader& r);
void encode(TlsWriter& w, const ExternalPub& v);
[[nodiscard]] Result<ExternalPub> decode_external_pub(TlsReader& r);
void encode(TlsWriter& w, const ExternalSender& v);
[[nodiscard]] Result<ExternalSender> decode_external_sender(TlsReader& r);
void encode(TlsWriter& w, const ExternalSenders& v);
[[nodiscard]] Result<ExternalSenders> decode_external_senders(TlsReader& r);

// The Extension carrying each body, and each body read from an extension's data (the whole
// of it; invalid_argument if the extension is of another type).
[[nodiscard]] Result<Extension> make_extension(const ApplicationId& v);
[[nodiscard]] Result<Extension> make_extension(const RequiredCapabilities& v);
[[nodiscard]] Result<Extension> make_extension(const ExternalPub& v);
[[nodiscard]] Result<Extension> make_extension(const ExternalSenders& v);
[[nodiscard]] Result<ApplicationId> application_id_from(const Extension& e);
[[nodiscard]] Result<RequiredCapabilities> required_capabilities_from(const Extension& e);
[[nodiscard]] Result<ExternalPub> external_pub_from(const Extension& e);
[[nodiscard]] Result<ExternalSenders> external_senders_from(const Extension& e);

}  // namespace bulwark::protocol::mls
