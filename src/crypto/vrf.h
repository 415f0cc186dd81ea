// ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381, suite_string 0x03): the verifiable random function
// key transparency uses to turn a label into a private, provable index (KT_128_SHA256_Ed25519
// of draft-ietf-keytrans-protocol takes beta's first 32 bytes).
//
// Only the TAI (try-and-increment) suite is implemented; ECVRF-EDWARDS25519-SHA512-ELL2
// (suite 0x04) is not.
//
// Invariants and choices:
// - A VrfPublicKey always passed RFC 9381 §5.4.5 ECVRF_validate_key: a canonical RFC 8032
//   encoding (y < p) of a curve point whose cofactor multiple is not the identity (not of
//   small order). As in the RFC, a key with a torsion component is accepted: honest keys are
//   x*B, and the checks above are what full uniqueness needs.
// - vrf_verify fails with Errc::auth_failed, and one generic context, for every bad proof:
//   wrong length, Gamma not a point, s >= L (no malleable s), or a challenge mismatch. The
//   length is not singled out as invalid_length: a proof is one opaque authenticator.
// - Proving and vrf_output use the secret scalar only in constant-time code and wipe their
//   secret intermediates. Proofs are deterministic (RFC 9381 §5.4.2.2 nonces).
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t vrf_public_key_bytes = 32;
inline constexpr std::size_t vrf_seed_bytes = 32;
inline constexpr std::size_t vrf_proof_bytes = 80;
inline constexpr std::size_t vrf_output_bytes = 64;

using VrfProof = std::array<std::byte, vrf_proof_bytes>;    // Gamma(32) || c(16) || s(32)
using VrfOutput = std::array<std::byte, vrf_output_bytes>;  // beta

class VrfSecretKey;

class VrfPublicKey {
 public:
  // RFC 9381 §5.4.5 ECVRF_validate_key. Errc::invalid_length for anything but 32 bytes,
  // Errc::invalid_encoding for a non-canonical or off-curve encoding, Errc::weak_key for a
  // small-order point.
  [[nodiscard]] static Result<VrfPublicKey> from_bytes(ByteView bytes);

  [[nodiscard]] ByteView bytes() const noexcept { return view_of(bytes_); }
  friend bool operator==(const VrfPublicKey&, const VrfPublicKey&) = default;

 private:
  friend class VrfSecretKey;
  explicit VrfPublicKey(const std::array<std::byte, vrf_public_key_bytes>& bytes)
      : bytes_(bytes) {}
  std::array<std::byte, vrf_public_key_bytes> bytes_;
};

class VrfSecretKey {
 public:
  // RFC 9381 §5.5 / RFC 8032 §5.1.5: SHA-512 of the 32-byte seed; the clamped first half is
  // the secret scalar x, the second half keys the nonces. Errc::invalid_length otherwise.
  [[nodiscard]] static Result<VrfSecretKey> from_seed(ByteView seed);

  [[nodiscard]] const VrfPublicKey& public_key() const noexcept { return public_key_; }

  // SHA-512(seed): x (clamped, little-endian) || nonce key. For this module's internals.
  [[nodiscard]] const SecretBytes& expanded() const noexcept { return expanded_; }

 private:
  VrfSecretKey(SecretBytes expanded, VrfPublicKey public_key)
      : expanded_(std::move(expanded)), public_key_(public_key) {}

  SecretBytes expanded_;
  VrfPublicKey public_key_;
};

// RFC 9381 §5.1 ECVRF_prove.
[[nodiscard]] VrfProof vrf_prove(const VrfSecretKey& secret, ByteView alpha);

// beta for `alpha` without building a proof (Gamma = x*H, then §5.2 proof_to_hash): the same
// bytes vrf_verify returns for vrf_prove's proof, at under half its cost. For servers that
// compute an index for every label.
[[nodiscard]] VrfOutput vrf_output(const VrfSecretKey& secret, ByteView alpha);

// RFC 9381 §5.3 ECVRF_verify (the key was validated by from_bytes): beta, or Errc::auth_failed.
[[nodiscard]] Result<VrfOutput> vrf_verify(const VrfPublicKey& key, ByteView alpha,
                                           ByteView proof);

}  // namespace bulwark::crypto
