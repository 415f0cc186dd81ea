// Credentials (RFC 9420 §5.3): who a leaf claims to be.
//
// Basic credentials carry an opaque identity, X.509 credentials a chain of DER certificates
// (not parsed here). Credential types other than these two are kept as their opaque<V> body
// (the convention of MLS extensions and of mls-rs' custom credentials), so a leaf with a
// credential type we do not support still decodes and re-encodes exactly; whether such a
// leaf is acceptable is the group's decision (its capabilities), not the decoder's.
#pragma once

#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     opaque cert_data<V>;
// } Certificate;
struct Certificate {
  Bytes cert_data;

  bool operator==(const Certificate&) const = default;
};

// struct {
//     CredentialType credential_type;
//     select (Credential.credential_type) {
//         case basic:
//             opaque identity<V>;
//         case x509:
//             Certificate certificates<V>;
//     };
// } Credential;
//
// Exactly one of the body fields is used, chosen by credential_type: `identity` for basic,
// `certificates` for x509, `content` (the opaque<V> body) for any other type. The encoder
// rejects a credential whose unused body fields are not empty.
struct Credential {
  CredentialType credential_type = CredentialType::basic;
  Bytes identity;
  std::vector<Certificate> certificates;
  Bytes content;

  bool operator==(const Credential&) const = default;
};

[[nodiscard]] Credential basic_credential(Bytes identity);

void encode(TlsWriter& w, const Certificate& v);
[[nodiscard]] Result<Certificate> decode_certificate(TlsReader& r);
void encode(TlsWriter& w, const Credential& v);
[[nodiscard]] Result<Credential> decode_credential(TlsReader& r);

}  // namespace bulwark::protocol::mls
