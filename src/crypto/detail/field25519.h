// Internal: arithmetic in GF(2^255 - 19), the field of edwards25519 and curve25519, shared by
// the group code (edwards25519.cpp) and the Elligator 2 map (hash_to_curve.cpp).
//
// Elements are 5 x 51-bit limbs (Fe, declared in edwards25519.h). Limb bounds are the
// invariants: a carried value or a product has limbs below 2^51 + 2^18; fe_add does not carry,
// so never add a sum to a sum (see fe_add and fe_sub). fe_to_bytes gives the unique
// representative in [0, p), little-endian.
//
// Timing: every function here runs in constant time (no branch or memory index depends on a
// field element); fe_constant is for fixed constants only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/detail/edwards25519.h"

namespace bulwark::crypto::detail {

__extension__ using U128 = unsigned __int128;
inline constexpr std::uint64_t mask51 = (std::uint64_t{1} << 51) - 1;

// ---- GF(2^255 - 19), 5 x 51-bit limbs --------------------------------------------------

inline std::uint64_t load64(const std::byte* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

// Reads bits 0..254; bit 255 (the sign of x in a point encoding) is ignored.
inline Fe fe_from_bytes(const EdBytes& s) noexcept {
  return {{load64(s.data()) & mask51, (load64(s.data() + 6) >> 3) & mask51,
           (load64(s.data() + 12) >> 6) & mask51, (load64(s.data() + 19) >> 1) & mask51,
           (load64(s.data() + 24) >> 12) & mask51}};
}

// Hot field operations are forced inline: as calls they cost more than their arithmetic.
#define BULWARK_FE_INLINE [[gnu::always_inline]] inline

// Limbs back below 2^51 (limb 0 below 2^51 + 2^18).
BULWARK_FE_INLINE Fe fe_carry(const Fe& f) noexcept {
  std::uint64_t h0 = f.v[0], h1 = f.v[1], h2 = f.v[2], h3 = f.v[3], h4 = f.v[4];
  h1 += h0 >> 51;
  h0 &= mask51;
  h2 += h1 >> 51;
  h1 &= mask51;
  h3 += h2 >> 51;
  h2 &= mask51;
  h4 += h3 >> 51;
  h3 &= mask51;
  h0 += 19 * (h4 >> 51);
  h4 &= mask51;
  return {{h0, h1, h2, h3, h4}};
}

// The unique representative in [0, p), little-endian.
inline EdBytes fe_to_bytes(const Fe& f) noexcept {
  Fe h = fe_carry(fe_carry(f));  // now below 2^255 + 2^18
  std::uint64_t q = (h.v[0] + 19) >> 51;  // q = 1 exactly when h >= p
  for (int i = 1; i < 5; ++i) q = (h.v[i] + q) >> 51;
  h.v[0] += 19 * q;
  for (int i = 0; i < 4; ++i) {
    h.v[i + 1] += h.v[i] >> 51;
    h.v[i] &= mask51;
  }
  h.v[4] &= mask51;
  const std::uint64_t words[4] = {h.v[0] | (h.v[1] << 51), (h.v[1] >> 13) | (h.v[2] << 38),
                                  (h.v[2] >> 26) | (h.v[3] << 25), (h.v[3] >> 39) | (h.v[4] << 12)};
  EdBytes out{};
  for (int w = 0; w < 4; ++w) {
    for (int b = 0; b < 8; ++b) out[8 * w + b] = static_cast<std::byte>(words[w] >> (8 * b));
  }
  return out;
}

// No carry: inputs are carried or products (limbs < 2^51 + 2^18), so the sum's limbs stay
// below 2^53, which fe_sub (4p) and fe_mul (2^54) accept. Never add a sum to a sum.
BULWARK_FE_INLINE Fe fe_add(const Fe& a, const Fe& b) noexcept {
  return {{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3], a.v[4] + b.v[4]}};
}

// a - b + 4p, carried: b's limbs must be below 2^53 - 76 (a carried value, product or sum).
BULWARK_FE_INLINE Fe fe_sub(const Fe& a, const Fe& b) noexcept {
  constexpr std::uint64_t four_p0 = 4 * ((std::uint64_t{1} << 51) - 19);
  constexpr std::uint64_t four_pi = 4 * mask51;
  return fe_carry({{a.v[0] + four_p0 - b.v[0], a.v[1] + four_pi - b.v[1],
                    a.v[2] + four_pi - b.v[2], a.v[3] + four_pi - b.v[3],
                    a.v[4] + four_pi - b.v[4]}});
}

inline Fe fe_neg(const Fe& a) noexcept { return fe_sub(Fe{{0, 0, 0, 0, 0}}, a); }

BULWARK_FE_INLINE Fe fe_reduce_wide(U128 r0, U128 r1, U128 r2, U128 r3, U128 r4) noexcept {
  Fe h{};
  r1 += static_cast<std::uint64_t>(r0 >> 51);
  h.v[0] = static_cast<std::uint64_t>(r0) & mask51;
  r2 += static_cast<std::uint64_t>(r1 >> 51);
  h.v[1] = static_cast<std::uint64_t>(r1) & mask51;
  r3 += static_cast<std::uint64_t>(r2 >> 51);
  h.v[2] = static_cast<std::uint64_t>(r2) & mask51;
  r4 += static_cast<std::uint64_t>(r3 >> 51);
  h.v[3] = static_cast<std::uint64_t>(r3) & mask51;
  h.v[4] = static_cast<std::uint64_t>(r4) & mask51;
  h.v[0] += 19 * static_cast<std::uint64_t>(r4 >> 51);
  h.v[1] += h.v[0] >> 51;
  h.v[0] &= mask51;
  return h;
}

BULWARK_FE_INLINE Fe fe_mul(const Fe& f, const Fe& g) noexcept {
  const std::uint64_t *a = f.v, *b = g.v;
  const std::uint64_t b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3], b4 = 19 * b[4];
  const auto m = [](std::uint64_t x, std::uint64_t y) { return static_cast<U128>(x) * y; };
  return fe_reduce_wide(
      m(a[0], b[0]) + m(a[1], b4) + m(a[2], b3) + m(a[3], b2) + m(a[4], b1),
      m(a[0], b[1]) + m(a[1], b[0]) + m(a[2], b4) + m(a[3], b3) + m(a[4], b2),
      m(a[0], b[2]) + m(a[1], b[1]) + m(a[2], b[0]) + m(a[3], b4) + m(a[4], b3),
      m(a[0], b[3]) + m(a[1], b[2]) + m(a[2], b[1]) + m(a[3], b[0]) + m(a[4], b4),
      m(a[0], b[4]) + m(a[1], b[3]) + m(a[2], b[2]) + m(a[3], b[1]) + m(a[4], b[0]));
}

BULWARK_FE_INLINE Fe fe_sq(const Fe& f) noexcept {
  const std::uint64_t* a = f.v;
  const std::uint64_t d0 = 2 * a[0], d1 = 2 * a[1], d2 = 2 * a[2];
  const std::uint64_t a3_19 = 19 * a[3], a4_19 = 19 * a[4];
  const auto m = [](std::uint64_t x, std::uint64_t y) { return static_cast<U128>(x) * y; };
  return fe_reduce_wide(m(a[0], a[0]) + m(d1, a4_19) + m(d2, a3_19),
                        m(d0, a[1]) + m(d2, a4_19) + m(a[3], a3_19),
                        m(d0, a[2]) + m(a[1], a[1]) + m(2 * a[3], a4_19),
                        m(d0, a[3]) + m(d1, a[2]) + m(a[4], a4_19),
                        m(d0, a[4]) + m(d1, a[3]) + m(a[2], a[2]));
}

inline Fe fe_sq_n(Fe f, int n) noexcept {
  for (int i = 0; i < n; ++i) f = fe_sq(f);
  return f;
}

// z^(2^250 - 1), and z^11 on the side: the common prefix of inversion and square root.
inline Fe fe_pow_2_250_1(const Fe& z, Fe& z11) noexcept {
  const Fe z2 = fe_sq(z);
  const Fe z9 = fe_mul(z, fe_sq_n(z2, 2));
  z11 = fe_mul(z2, z9);
  const Fe e5 = fe_mul(z9, fe_sq(z11));            // 2^5 - 1
  const Fe e10 = fe_mul(fe_sq_n(e5, 5), e5);       // 2^10 - 1
  const Fe e20 = fe_mul(fe_sq_n(e10, 10), e10);    // 2^20 - 1
  const Fe e40 = fe_mul(fe_sq_n(e20, 20), e20);    // 2^40 - 1
  const Fe e50 = fe_mul(fe_sq_n(e40, 10), e10);    // 2^50 - 1
  const Fe e100 = fe_mul(fe_sq_n(e50, 50), e50);   // 2^100 - 1
  const Fe e200 = fe_mul(fe_sq_n(e100, 100), e100);  // 2^200 - 1
  return fe_mul(fe_sq_n(e200, 50), e50);           // 2^250 - 1
}

inline Fe fe_invert(const Fe& z) noexcept {  // z^(p - 2) = z^(2^255 - 21)
  Fe z11{};
  const Fe e250 = fe_pow_2_250_1(z, z11);
  return fe_mul(fe_sq_n(e250, 5), z11);
}

inline Fe fe_pow22523(const Fe& z) noexcept {  // z^((p - 5) / 8) = z^(2^252 - 3)
  Fe z11{};
  const Fe e250 = fe_pow_2_250_1(z, z11);
  return fe_mul(fe_sq_n(e250, 2), z);
}

inline bool fe_is_zero(const Fe& f) noexcept {
  const EdBytes s = fe_to_bytes(f);
  std::uint8_t acc = 0;
  for (std::byte b : s) acc |= std::to_integer<std::uint8_t>(b);
  return acc == 0;
}

inline bool fe_equal(const Fe& a, const Fe& b) noexcept { return fe_is_zero(fe_sub(a, b)); }

inline std::uint8_t fe_is_negative(const Fe& f) noexcept {
  return std::to_integer<std::uint8_t>(fe_to_bytes(f)[0]) & 1;
}

// f = g when flag == 1, unchanged when flag == 0, without a branch.
inline void fe_cmov(Fe& f, const Fe& g, std::uint64_t flag) noexcept {
  const std::uint64_t mask = 0 - flag;
  for (int i = 0; i < 5; ++i) f.v[i] ^= mask & (f.v[i] ^ g.v[i]);
}

inline Fe fe_constant(const char* hex_le) noexcept {
  const auto bytes = from_hex(hex_le);
  if (!bytes || bytes->size() != 32) contract_violation("edwards25519: bad field constant");
  EdBytes s{};
  for (std::size_t i = 0; i < 32; ++i) s[i] = (*bytes)[i];
  return fe_from_bytes(s);
}

}  // namespace bulwark::crypto::detail

#undef BULWARK_FE_INLINE
