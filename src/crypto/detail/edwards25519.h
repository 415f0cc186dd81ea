// Internal: edwards25519 group arithmetic (RFC 8032 §5.1, RFC 7748 §4.1) for the VRF.
//
// Why not libsodium's crypto_core_ed25519_* / crypto_scalarmult_ed25519_*? libsodium 1.0.18's
// point API accepts only the prime-order subgroup (crypto_scalarmult_ed25519_noclamp returns -1
// for any point with a torsion component, not only for small-order points; see
// tests/crypto/vrf_internals_test.cpp), but RFC 9381's try-and-increment hashes to arbitrary
// curve points and clears the cofactor itself. Its add/sub re-decode both inputs (a square
// root each, 12.5 µs per addition here), and noclamp scalar multiplication also runs a
// subgroup check (87 µs): too slow for a server computing a million VRF outputs.
//
// Field elements are 5 x 51-bit limbs (their arithmetic is in field25519.h); points are
// extended twisted Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z, added with the
// complete formulas of Hisil-Wong-Carter-Dawson (add-2008-hwcd-3, dbl-2008-hwcd), valid for
// every curve point including the identity and the torsion points.
//
// Timing: field and group operations, and edwards_scalarmult, run in constant time (no
// branch or memory index depends on the scalar or the point). Decoding and
// edwards_double_scalarmult_vartime branch on their inputs and are for public data only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace bulwark::crypto::detail {

using EdBytes = std::array<std::byte, 32>;  // a point encoding or a little-endian scalar

struct Fe {
  std::uint64_t v[5];
};

struct EdPoint {
  Fe x, y, z, t;
};

// RFC 8032 §5.1.3 decoding: fails for y >= p (non-canonical), for a y with no x on the curve,
// and for x = 0 with the sign bit set. Accepts every curve point, including small-order and
// mixed-order ones. Variable time (public inputs only).
[[nodiscard]] std::optional<EdPoint> edwards_decode(const EdBytes& bytes) noexcept;

// RFC 8032 §5.1.2 encoding (canonical y, sign of x in bit 255).
[[nodiscard]] EdBytes edwards_encode(const EdPoint& p) noexcept;

[[nodiscard]] EdPoint edwards_identity() noexcept;
[[nodiscard]] EdPoint edwards_base_point() noexcept;
[[nodiscard]] EdPoint edwards_add(const EdPoint& a, const EdPoint& b) noexcept;
[[nodiscard]] EdPoint edwards_negate(const EdPoint& a) noexcept;
[[nodiscard]] EdPoint edwards_mul_by_cofactor(const EdPoint& a) noexcept;  // 8 * a
[[nodiscard]] bool edwards_is_identity(const EdPoint& a) noexcept;

// scalar * p in constant time. Requires scalar[31] <= 127 (a 255-bit little-endian integer;
// RFC 8032 secret scalars and reduced scalars both qualify); checked, aborts otherwise.
[[nodiscard]] EdPoint edwards_scalarmult(const EdBytes& scalar, const EdPoint& p) noexcept;

// a * p + b * q, variable time (public scalars and points only: verification).
[[nodiscard]] EdPoint edwards_double_scalarmult_vartime(const EdBytes& a, const EdPoint& p,
                                                        const EdBytes& b,
                                                        const EdPoint& q) noexcept;

}  // namespace bulwark::crypto::detail
