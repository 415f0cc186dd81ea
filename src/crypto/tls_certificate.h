// A self-signed TLS certificate for development and single-machine deployments: bulwark-server
// makes one on first start (DIR/tls/cert.pem + key.pem) and clients pin exactly that file
// (--ca-file). ECDSA P-256 (every TLS 1.3 stack accepts it), SHA-256, serial from the CSPRNG,
// valid from one hour ago for `valid_days`, with subjectAltName entries for every name given
// (IP literals become IP entries), basicConstraints CA:TRUE (so it can anchor itself) and
// keyUsage digitalSignature + keyCertSign.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

struct TlsCertificate {
  std::string certificate_pem;
  SecretBytes private_key_pem;  // PKCS#8 PEM
};

// Requires at least one name. Errc::invalid_argument for an empty list or an unusable name.
[[nodiscard]] Result<TlsCertificate> make_self_signed_certificate(
    const std::vector<std::string>& names, int valid_days);

}  // namespace bulwark::crypto
