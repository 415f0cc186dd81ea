#include "crypto/detail/hash_to_curve.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "common/result.h"
#include "crypto/detail/field25519.h"
#include "crypto/hash.h"

namespace bulwark::crypto::detail {
namespace {

constexpr std::size_t xmd_b_in_bytes = 64;   // SHA-512 output
constexpr std::size_t xmd_s_in_bytes = 128;  // SHA-512 block
constexpr std::size_t field_l_bytes = 48;    // L = ceil((ceil(log2(p)) + k) / 8), k = 128

constexpr Fe fe_small(std::uint64_t n) noexcept { return Fe{{n, 0, 0, 0, 0}}; }

// fe_add with a carry, so that sums may be added again (see field25519.h's limb bounds).
Fe fe_add_carried(const Fe& a, const Fe& b) noexcept { return fe_carry(fe_add(a, b)); }

// Returns b when c, else a (RFC 9380's CMOV(a, b, c)).
Fe cmov(const Fe& a, const Fe& b, bool c) noexcept {
  Fe out = a;
  fe_cmov(out, b, c ? 1 : 0);
  return out;
}

struct Ell2Constants {
  Fe one = fe_small(1);
  Fe j = fe_small(486662);  // curve25519's A
  Fe sqrt_m1 = fe_constant("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
  Fe c2{};            // 2^((p + 3) / 8) = 2 * 2^((p - 5) / 8)
  Fe sqrt_m486664{};  // sqrt(-486664) with sgn0 = 0 (the sign of RFC 7748's map, erratum 4730)

  Ell2Constants() noexcept {
    const Fe two = fe_small(2);
    c2 = fe_mul(two, fe_pow22523(two));
    // a^((p + 3) / 8) is a square root of a or of -a; multiply by sqrt(-1) in the second case.
    const Fe a = fe_neg(fe_small(486664));
    Fe root = fe_mul(a, fe_pow22523(a));
    if (!fe_equal(fe_sq(root), a)) root = fe_mul(root, sqrt_m1);
    if (fe_is_negative(root) != 0) root = fe_neg(root);
    if (!fe_equal(fe_sq(root), a)) contract_violation("hash_to_curve: sqrt(-486664) is wrong");
    sqrt_m486664 = root;
  }
};

const Ell2Constants& ell2_constants() noexcept {
  static const Ell2Constants c;
  return c;
}

// A 32-byte little-endian string holding bytes[0..n) of `le` (n <= 32).
EdBytes le_prefix(const std::byte* le, std::size_t n) noexcept {
  EdBytes out{};
  std::copy_n(le, n, out.begin());
  return out;
}

// A point with affine coordinates (xn / xd, yn / yd), xd and yd nonzero, in extended form.
EdPoint from_fractions(const Fe& xn, const Fe& xd, const Fe& yn, const Fe& yd) noexcept {
  return {fe_mul(xn, yd), fe_mul(yn, xd), fe_mul(xd, yd), fe_mul(xn, yn)};
}

struct Fractions {
  Fe xn, xd, yn, yd;
};

// RFC 9380 Appendix G.2.1 map_to_curve_elligator2_curve25519, step by step (yd = 1).
Fractions map_to_curve25519(const Fe& u) noexcept {
  const Ell2Constants& k = ell2_constants();
  const Fe tv1 = fe_add_carried(fe_sq(u), fe_sq(u));          // 1-2. 2 * u^2
  const Fe xd = fe_add_carried(tv1, k.one);                     // 3.
  const Fe x1n = fe_neg(k.j);                                   // 4.
  Fe tv2 = fe_sq(xd);                                           // 5.
  const Fe gxd = fe_mul(tv2, xd);                               // 6.
  Fe gx1 = fe_mul(k.j, tv1);                                    // 7.
  gx1 = fe_mul(gx1, x1n);                                       // 8.
  gx1 = fe_add_carried(gx1, tv2);                               // 9.
  gx1 = fe_mul(gx1, x1n);                                       // 10.
  Fe tv3 = fe_sq(gxd);                                          // 11.
  tv2 = fe_sq(tv3);                                             // 12.
  tv3 = fe_mul(tv3, gxd);                                       // 13.
  tv3 = fe_mul(tv3, gx1);                                       // 14.
  tv2 = fe_mul(tv2, tv3);                                       // 15.
  Fe y11 = fe_pow22523(tv2);                                    // 16.
  y11 = fe_mul(y11, tv3);                                       // 17.
  const Fe y12 = fe_mul(y11, k.sqrt_m1);                        // 18.
  tv2 = fe_mul(fe_sq(y11), gxd);                                // 19-20.
  const bool e1 = fe_equal(tv2, gx1);                           // 21.
  const Fe y1 = cmov(y12, y11, e1);                             // 22.
  const Fe x2n = fe_mul(x1n, tv1);                              // 23.
  Fe y21 = fe_mul(y11, u);                                      // 24.
  y21 = fe_mul(y21, k.c2);                                      // 25.
  const Fe y22 = fe_mul(y21, k.sqrt_m1);                        // 26.
  const Fe gx2 = fe_mul(gx1, tv1);                              // 27.
  tv2 = fe_mul(fe_sq(y21), gxd);                                // 28-29.
  const bool e2 = fe_equal(tv2, gx2);                           // 30.
  const Fe y2 = cmov(y22, y21, e2);                             // 31.
  tv2 = fe_mul(fe_sq(y1), gxd);                                 // 32-33.
  const bool e3 = fe_equal(tv2, gx1);                           // 34.
  const Fe xn = cmov(x2n, x1n, e3);                             // 35.
  Fe y = cmov(y2, y1, e3);                                      // 36.
  const bool e4 = fe_is_negative(y) == 1;                       // 37. sgn0(y) == 1
  y = cmov(y, fe_neg(y), e3 != e4);                             // 38.
  return {xn, xd, y, k.one};                                    // 39.
}

}  // namespace

Bytes expand_message_xmd_sha512(ByteView msg, ByteView dst, std::size_t len_in_bytes) {
  if (len_in_bytes > xmd_sha512_max_bytes || dst.size() > xmd_max_dst_bytes) {
    contract_violation("expand_message_xmd: len_in_bytes or DST too long");
  }
  const std::size_t ell = (len_in_bytes + xmd_b_in_bytes - 1) / xmd_b_in_bytes;
  const std::array<std::byte, 1> dst_len{static_cast<std::byte>(dst.size())};
  const std::array<std::byte, xmd_s_in_bytes> z_pad{};
  const std::array<std::byte, 3> lib_str_zero{static_cast<std::byte>(len_in_bytes >> 8),
                                              static_cast<std::byte>(len_in_bytes & 0xff),
                                              std::byte{0}};
  // b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime), DST_prime = DST || len.
  const Sha512Digest b0 = sha512({z_pad, msg, lib_str_zero, dst, dst_len});
  Bytes out;
  out.reserve(ell * xmd_b_in_bytes);
  // b_1 = H(b_0 || 1 || DST_prime), b_i = H(strxor(b_0, b_(i-1)) || i || DST_prime): starting
  // `previous` at zero makes strxor(b_0, previous) = b_0 for i = 1, so one formula serves both.
  Sha512Digest previous{};
  for (std::size_t i = 1; i <= ell; ++i) {
    Sha512Digest mixed{};
    for (std::size_t j = 0; j < mixed.size(); ++j) mixed[j] = b0[j] ^ previous[j];
    const std::array<std::byte, 1> index{static_cast<std::byte>(i)};
    previous = sha512({mixed, index, dst, dst_len});
    out.insert(out.end(), previous.begin(), previous.end());
  }
  out.resize(len_in_bytes);
  return out;
}

EdBytes hash_to_field_25519(ByteView msg, ByteView dst) {
  const Bytes uniform = expand_message_xmd_sha512(msg, dst, field_l_bytes);
  // OS2IP is big-endian: reverse, then split into two 24-byte halves, each below 2^192 < p.
  std::array<std::byte, field_l_bytes> le{};
  std::reverse_copy(uniform.begin(), uniform.end(), le.begin());
  const Fe low = fe_from_bytes(le_prefix(le.data(), 24));
  const Fe high = fe_from_bytes(le_prefix(le.data() + 24, 24));
  EdBytes two_192{};
  two_192[24] = std::byte{1};
  return fe_to_bytes(fe_add(low, fe_mul(high, fe_from_bytes(two_192))));
}

EdPoint map_to_curve_elligator2_edwards25519(const EdBytes& u) noexcept {
  const Ell2Constants& k = ell2_constants();
  const Fractions m = map_to_curve25519(fe_from_bytes(u));  // 1. (xMn, xMd, yMn, yMd)
  Fe xn = fe_mul(fe_mul(m.xn, m.yd), k.sqrt_m486664);       // 2-3.
  Fe xd = fe_mul(m.xd, m.yn);                                // 4.
  Fe yn = fe_sub(m.xn, m.xd);                                // 5.
  Fe yd = fe_add_carried(m.xn, m.xd);                        // 6.
  const bool e = fe_is_zero(fe_mul(xd, yd));                 // 7-8. the exceptional case
  xn = cmov(xn, fe_small(0), e);                             // 9.
  xd = cmov(xd, k.one, e);                                   // 10.
  yn = cmov(yn, k.one, e);                                   // 11.
  yd = cmov(yd, k.one, e);                                   // 12.
  return from_fractions(xn, xd, yn, yd);                     // 13.
}

EdPoint encode_to_curve_edwards25519_ell2(ByteView msg, ByteView dst) {
  const EdBytes u = hash_to_field_25519(msg, dst);
  return edwards_mul_by_cofactor(map_to_curve_elligator2_edwards25519(u));
}

}  // namespace bulwark::crypto::detail
