// Verification of a document's detached CMS (PKCS#7, RFC 5652) signature against trust anchors
// the operator configured - how a court order reaches Bulwark (issue 8,
// docs/plans/issue-8-lawful-survey.md §7).
//
// OpenSSL's CMS_verify defaults let several bad signatures through, so every check is explicit:
// - the signature is DER, one SignedData with detached plain data and exactly one signer, and
//   nothing after it;
// - the document is hashed byte for byte (CMS_BINARY: no line-ending rewrite);
// - the signer's chain ends at a configured anchor, every certificate valid at `now` - the
//   verifier's time, never a time the document or the signature claims (a backdated order
//   must not pass);
// - revocation of every certificate in the chain against the operator's CRLs only (CRLs the
//   signer embedded are ignored: a stale one could hide a newer revocation); a certificate
//   without a current CRL from its issuer is refused;
// - the signer's key usage allows signatures (digitalSignature or nonRepudiation) and its
//   extended key usage names document signing (RFC 9336's id-kp-documentSigning);
// - no SHA-1 anywhere (signer digest, certificate and CRL signatures) and no RSA key under 2048
//   bits.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::crypto {

// What the operator configured for one jurisdiction, as PEM text.
struct DocumentTrust {
  std::vector<std::string> anchors;        // self-signed roots
  std::vector<std::string> intermediates;  // may be empty; the signature may also carry them
  std::vector<std::string> crls;           // one current CRL per certificate authority
};

// The signer, for the record.
struct DocumentSigner {
  std::string subject;  // RFC 2253 form
  std::string issuer;
  std::string serial;  // hex
};

// Largest signature accepted: a signer's chain of a few certificates fits many times over.
inline constexpr std::size_t max_document_signature_bytes = 64 * 1024;
inline constexpr std::size_t max_signed_document_bytes = 1024 * 1024;

// Errc::invalid_argument naming the first anchor, intermediate or CRL that is not PEM of its
// kind or is too weak (SHA-1/MD5 signed, RSA under 2048 bits): what an operator configuring an
// authority is told before anything relies on it.
[[nodiscard]] Result<void> check_document_trust(const DocumentTrust& trust);

// Errc::invalid_encoding for a signature that is not one strict DER SignedData as above;
// Errc::auth_failed, with the reason, for every signature that does not verify as above.
[[nodiscard]] Result<DocumentSigner> verify_document_signature(
    ByteView document, ByteView signature, const DocumentTrust& trust,
    std::chrono::system_clock::time_point now);

}  // namespace bulwark::crypto
