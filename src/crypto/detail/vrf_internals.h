// Internal: the steps of ECVRF-EDWARDS25519-SHA512-TAI and -ELL2 (RFC 9381), exposed so that
// the tests can check every intermediate of the RFC's Appendix B.3 and B.4 vectors (x, H, k,
// U, V). Functions that hash a suite_string take the suite, TAI by default.
//
// Encodings are RFC 8032 point encodings and 32-byte little-endian scalars throughout.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "common/bytes.h"
#include "common/secret_bytes.h"
#include "crypto/detail/edwards25519.h"
#include "crypto/vrf.h"

namespace bulwark::crypto::detail {

inline constexpr std::byte vrf_suite_tai{0x03};
inline constexpr std::byte vrf_suite_ell2{0x04};

inline constexpr std::size_t vrf_challenge_bytes = 16;  // cLen

// The suite_string byte of `suite`; aborts for a value that is no VrfSuite enumerator.
[[nodiscard]] std::byte vrf_suite_byte(VrfSuite suite) noexcept;

// RFC 9381 §5.4.1.1 ECVRF_encode_to_curve_try_and_increment: the first ctr in 0..255 whose
// hash is an RFC 8032 point encoding (any curve point, torsion included) with a cofactor
// multiple other than the identity; H is that multiple. A candidate of small order (8 of the
// 2^256 strings, probability about 2^-253) therefore counts as invalid and the loop goes on,
// exactly as the RFC's "while H is INVALID or the identity" says. nullopt when all 256
// counters fail (probability about 2^-256).
struct VrfEncodedPoint {
  EdPoint point;
  unsigned ctr = 0;
};
[[nodiscard]] std::optional<VrfEncodedPoint> vrf_encode_to_curve_tai(ByteView public_key,
                                                                     ByteView alpha) noexcept;

// RFC 9381 §5.4.1.2 ECVRF_encode_to_curve_h2c_suite for ELL2: encode_to_curve of
// edwards25519_XMD:SHA-512_ELL2_NU_ on encode_to_curve_salt || alpha, the salt being the
// public key, with DST = "ECVRF_" || h2c_suite_ID_string || suite_string.
[[nodiscard]] EdPoint vrf_encode_to_curve_ell2(ByteView public_key, ByteView alpha);

// H for either suite (TAI through vrf_encode_to_curve_tai); nullopt only where that fails.
[[nodiscard]] std::optional<EdPoint> vrf_encode_to_curve(VrfSuite suite, ByteView public_key,
                                                         ByteView alpha);

// RFC 9381 §5.4.2.2: k = SHA-512(nonce key || H) mod L, for the second half of SHA-512(seed).
[[nodiscard]] SecretBytes vrf_nonce(ByteView nonce_key, const EdBytes& h) noexcept;

// RFC 9381 §5.4.3 ECVRF_challenge_generation (with the public key as the first point).
[[nodiscard]] std::array<std::byte, vrf_challenge_bytes> vrf_challenge(
    ByteView public_key, const EdBytes& h, const EdBytes& gamma, const EdBytes& u,
    const EdBytes& v, VrfSuite suite = VrfSuite::edwards25519_sha512_tai) noexcept;

// RFC 9381 §5.2 ECVRF_proof_to_hash's core: SHA-512(suite || 0x03 || 8*Gamma || 0x00).
[[nodiscard]] VrfOutput vrf_gamma_to_hash(
    const EdPoint& gamma, VrfSuite suite = VrfSuite::edwards25519_sha512_tai) noexcept;

// Every value vrf_prove derives, for the vector tests. k is secret: test use only.
struct VrfProofTrace {
  EdBytes h{}, k{}, gamma{}, u{}, v{};
};
[[nodiscard]] VrfProof vrf_prove_traced(
    const VrfSecretKey& secret, ByteView alpha, VrfProofTrace* trace,
    VrfSuite suite = VrfSuite::edwards25519_sha512_tai);

}  // namespace bulwark::crypto::detail
