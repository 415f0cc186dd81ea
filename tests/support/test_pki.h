// A test public-key infrastructure made with OpenSSL at test time: a court's root certificate,
// signer certificates with whatever flaw a test needs, CRLs, and detached CMS signatures as an
// authority's signing tool makes them (issue 8's orders). Test-only; the product never links it.
//
// Everything is relative to a `now` the test chooses, so certificates, CRLs and verification
// share one fake time. OpenSSL types stay inside test_pki.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"

namespace bulwark::testing {

using std::chrono::days;
using std::chrono::system_clock;

struct SignerSpec {
  std::string name = "Judge Test";
  long serial = 7;
  system_clock::duration valid_from = -days(30);  // relative to the authority's `now`
  system_clock::duration valid_until = days(365);
  // OpenSSL extension text; nullptr leaves the extension out.
  const char* key_usage = "critical,digitalSignature,nonRepudiation";
  const char* extended_key_usage = "1.3.6.1.5.5.7.3.36";  // RFC 9336 documentSigning
  unsigned rsa_bits = 0;                                  // 0: an EC P-256 key
};

enum class SignatureDigest { sha256, sha1 };

// A certificate and its private key, able to sign documents.
class TestSigner {
 public:
  ~TestSigner();
  TestSigner(TestSigner&&) noexcept;
  TestSigner& operator=(TestSigner&&) noexcept;

  // A detached DER CMS SignedData over `document`, binary (no line-ending rewrite).
  [[nodiscard]] Bytes sign(std::string_view document,
                           SignatureDigest digest = SignatureDigest::sha256) const;
  [[nodiscard]] std::string certificate_pem() const;

 private:
  friend class TestAuthority;
  struct Impl;
  explicit TestSigner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A self-signed root that issues signers and CRLs.
class TestAuthority {
 public:
  TestAuthority(std::string name, system_clock::time_point now, long serial = 100);
  ~TestAuthority();
  TestAuthority(TestAuthority&&) noexcept;
  TestAuthority& operator=(TestAuthority&&) noexcept;

  [[nodiscard]] std::string root_pem() const;
  // A CRL issued a day before `now`, listing `revoked` serials, next update `next_update` after
  // `now` (negative: already stale; nullopt: no next update at all).
  [[nodiscard]] std::string crl_pem(
      const std::vector<long>& revoked = {},
      std::optional<system_clock::duration> next_update = days(7)) const;
  [[nodiscard]] TestSigner issue(const SignerSpec& spec = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::testing
