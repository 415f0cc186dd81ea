// ECVRF-EDWARDS25519-SHA512-TAI and ECVRF-EDWARDS25519-SHA512-ELL2 (RFC 9381 §5.5, suite_strings
// 0x03 and 0x04): the verifiable random function key transparency uses to turn a label into a
// private, provable index. KT_128_SHA256_Ed25519 of draft-ietf-keytrans-protocol uses TAI and
// takes beta's first 32 bytes; TAI is every function's default suite. ELL2 differs only in
// ECVRF_encode_to_curve (RFC 9380 edwards25519_XMD:SHA-512_ELL2_NU_, crypto/detail/
// hash_to_curve.h, instead of try-and-increment) and in the suite byte that the challenge and
// proof_to_hash hash: a proof made under one suite never verifies under the other. Keys are
// the same for both suites.
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
//   secret intermediates. Proofs are deterministic (RFC 9381 §5.4.2.2 nonces, both suites).
//   Encoding to the curve (either suite) hashes only public data, the public key and alpha,
//   and is not constant time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

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

// The RFC 9381 suite; each value is its suite_string. Any other value is a contract violation.
enum class VrfSuite : std::uint8_t {
  edwards25519_sha512_tai = 0x03,   // ECVRF-EDWARDS25519-SHA512-TAI
  edwards25519_sha512_ell2 = 0x04,  // ECVRF-EDWARDS25519-SHA512-ELL2
};

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
  explicit VrfPublicKey(const std::array<std::byte, vrf_public_key_bytes>& bytes) : bytes_(bytes) {}
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
  // An explicit copy (the key is move-only): for an owner that must rebuild what holds it.
  [[nodiscard]] VrfSecretKey clone() const { return VrfSecretKey(expanded_.clone(), public_key_); }

 private:
  VrfSecretKey(SecretBytes expanded, VrfPublicKey public_key)
      : expanded_(std::move(expanded)), public_key_(public_key) {}

  SecretBytes expanded_;
  VrfPublicKey public_key_;
};

// RFC 9381 §5.1 ECVRF_prove.
[[nodiscard]] VrfProof vrf_prove(const VrfSecretKey& secret, ByteView alpha,
                                 VrfSuite suite = VrfSuite::edwards25519_sha512_tai);

// beta for `alpha` without building a proof (Gamma = x*H, then §5.2 proof_to_hash): the same
// bytes vrf_verify returns for vrf_prove's proof, at under half its cost. For servers that
// compute an index for every label.
[[nodiscard]] VrfOutput vrf_output(const VrfSecretKey& secret, ByteView alpha,
                                   VrfSuite suite = VrfSuite::edwards25519_sha512_tai);

// RFC 9381 §5.3 ECVRF_verify (the key was validated by from_bytes): beta, or Errc::auth_failed.
[[nodiscard]] Result<VrfOutput> vrf_verify(const VrfPublicKey& key, ByteView alpha, ByteView proof,
                                           VrfSuite suite = VrfSuite::edwards25519_sha512_tai);

}  // namespace bulwark::crypto
