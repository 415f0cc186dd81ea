// An authority whose orders the operator accepts: its name as orders spell it, the jurisdiction
// it acts in, and the X.509 material its signatures are verified against (issue 8). The
// operator adds these with `bulwark-admin lawful authorities add`; nothing else is trusted.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "common/result.h"
#include "crypto/document_signature.h"

namespace bulwark::lawful {

struct Authority {
  std::string name;          // lawful::is_authority_name
  std::string jurisdiction;  // lawful::is_jurisdiction_code
  crypto::DocumentTrust trust;
};

// Errc::invalid_argument for a bad name or jurisdiction, no anchor, or PEM that does not hold
// what its place says (anchors and intermediates: certificates; crls: CRLs).
[[nodiscard]] Result<void> check_authority(const Authority& authority);

// What an authority change commits to in the disclosure log: SHA-256 over
// "bulwark-lawful-trust-v1" and, for anchors, intermediates and CRLs in turn, the count and each
// PEM with its length (u32 big-endian). Anyone holding the PEMs recomputes it.
[[nodiscard]] std::array<std::byte, 32> trust_digest(const crypto::DocumentTrust& trust);

}  // namespace bulwark::lawful
