// Internal: hashing to edwards25519 with the RFC 9380 suite edwards25519_XMD:SHA-512_ELL2_NU_
// (§8.5): expand_message_xmd with SHA-512 (§5.3.1), hash_to_field with L = 48 and m = 1
// (§5.2), the Elligator 2 map to curve25519 and the RFC 7748 rational map to edwards25519
// (straight-line versions of Appendix G.2.1 and G.2.2), and clear_cofactor = 8 * Q (§7).
// ECVRF-EDWARDS25519-SHA512-ELL2 (RFC 9381 §5.4.1.2, suite 0x04) is its one user.
//
// Conventions: sgn0 is RFC 9380 §4.1's sgn0 for m = 1 (x mod 2 of the canonical
// representative); CMOV(a, b, c) is b when c holds. Field elements cross this interface as
// 32-byte little-endian strings (EdBytes), points as EdPoint.
//
// Timing: everything here hashes public data (a VRF public key and alpha). The map happens to
// be straight-line (selections by cmov, no early exit), but nothing is promised or checked:
// do not feed it secrets.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "crypto/detail/edwards25519.h"

namespace bulwark::crypto::detail {

inline constexpr std::size_t xmd_sha512_max_bytes = 255 * 64;  // ell <= 255 blocks of b_in_bytes
inline constexpr std::size_t xmd_max_dst_bytes = 255;

// RFC 9380 §5.3.1 expand_message_xmd with H = SHA-512 (b_in_bytes = 64, s_in_bytes = 128).
// Requires len_in_bytes <= xmd_sha512_max_bytes and dst.size() <= xmd_max_dst_bytes: the RFC's
// ABORT cases, checked here as contract violations (our DSTs are fixed strings; §5.3.3's
// hashing of an oversize DST is left to a caller that needs one).
[[nodiscard]] Bytes expand_message_xmd_sha512(ByteView msg, ByteView dst,
                                              std::size_t len_in_bytes);

// RFC 9380 §5.2 hash_to_field(msg, 1) for GF(2^255 - 19), L = 48: OS2IP of 48 uniform bytes
// (big-endian) reduced mod p. Returns u in its canonical little-endian encoding.
[[nodiscard]] EdBytes hash_to_field_25519(ByteView msg, ByteView dst);

// RFC 9380 Appendix G.2.2 map_to_curve_elligator2_edwards25519 (through G.2.1 on curve25519):
// the point Q for u. u is read as a little-endian integer below 2^255 and taken mod p.
[[nodiscard]] EdPoint map_to_curve_elligator2_edwards25519(const EdBytes& u) noexcept;

// RFC 9380 §3 encode_to_curve for edwards25519_XMD:SHA-512_ELL2_NU_:
// clear_cofactor(map_to_curve(hash_to_field(msg, 1))), a point of the prime-order subgroup.
[[nodiscard]] EdPoint encode_to_curve_edwards25519_ell2(ByteView msg, ByteView dst);

}  // namespace bulwark::crypto::detail
