#include "protocol/mls/messages/credential.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

Credential basic_credential(Bytes identity) {
  Credential out;
  out.credential_type = CredentialType::basic;
  out.identity = std::move(identity);
  return out;
}

void encode(TlsWriter& w, const Certificate& v) {
  put_opaque(w, v.cert_data, max_certificate_bytes);
}

Result<Certificate> decode_certificate(TlsReader& r) {
  Bytes data = BULWARK_TRY(get_opaque(r, max_certificate_bytes));
  return Certificate{std::move(data)};
}

void encode(TlsWriter& w, const Credential& v) {
  encode(w, v.credential_type);
  switch (v.credential_type) {
    case CredentialType::basic:
      if (!v.certificates.empty() || !v.content.empty()) w.reject();
      put_opaque(w, v.identity, max_identity_bytes);
      return;
    case CredentialType::x509:
      if (!v.identity.empty() || !v.content.empty()) w.reject();
      encode_list(w, v.certificates, max_certificates * (max_certificate_bytes + 4),
                  max_certificates);
      return;
  }
  if (!v.identity.empty() || !v.certificates.empty()) w.reject();
  put_opaque(w, v.content, max_other_credential_bytes);
}

Result<Credential> decode_credential(TlsReader& r) {
  Credential out;
  out.credential_type = BULWARK_TRY(decode_credential_type(r));
  switch (out.credential_type) {
    case CredentialType::basic:
      out.identity = BULWARK_TRY(get_opaque(r, max_identity_bytes));
      return out;
    case CredentialType::x509:
      out.certificates = BULWARK_TRY(decode_list<Certificate>(
          r, max_certificates * (max_certificate_bytes + 4), max_certificates, decode_certificate));
      return out;
  }
  out.content = BULWARK_TRY(get_opaque(r, max_other_credential_bytes));
  return out;
}

}  // namespace bulwark::protocol::mls
