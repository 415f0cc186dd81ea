#include "crypto/detail/edwards25519.h"

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto::detail {
namespace {

__extension__ using U128 = unsigned __int128;
constexpr std::uint64_t mask51 = (std::uint64_t{1} << 51) - 1;

// ---- GF(2^255 - 19), 5 x 51-bit limbs --------------------------------------------------

std::uint64_t load64(const std::byte* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

// Reads bits 0..254; bit 255 (the sign of x in a point encoding) is ignored.
Fe fe_from_bytes(const EdBytes& s) noexcept {
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
EdBytes fe_to_bytes(const Fe& f) noexcept {
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

Fe fe_neg(const Fe& a) noexcept { return fe_sub(Fe{{0, 0, 0, 0, 0}}, a); }

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

Fe fe_sq_n(Fe f, int n) noexcept {
  for (int i = 0; i < n; ++i) f = fe_sq(f);
  return f;
}

// z^(2^250 - 1), and z^11 on the side: the common prefix of inversion and square root.
Fe fe_pow_2_250_1(const Fe& z, Fe& z11) noexcept {
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

Fe fe_invert(const Fe& z) noexcept {  // z^(p - 2) = z^(2^255 - 21)
  Fe z11{};
  const Fe e250 = fe_pow_2_250_1(z, z11);
  return fe_mul(fe_sq_n(e250, 5), z11);
}

Fe fe_pow22523(const Fe& z) noexcept {  // z^((p - 5) / 8) = z^(2^252 - 3)
  Fe z11{};
  const Fe e250 = fe_pow_2_250_1(z, z11);
  return fe_mul(fe_sq_n(e250, 2), z);
}

bool fe_is_zero(const Fe& f) noexcept {
  const EdBytes s = fe_to_bytes(f);
  std::uint8_t acc = 0;
  for (std::byte b : s) acc |= std::to_integer<std::uint8_t>(b);
  return acc == 0;
}

bool fe_equal(const Fe& a, const Fe& b) noexcept { return fe_is_zero(fe_sub(a, b)); }

std::uint8_t fe_is_negative(const Fe& f) noexcept {
  return std::to_integer<std::uint8_t>(fe_to_bytes(f)[0]) & 1;
}

// f = g when flag == 1, unchanged when flag == 0, without a branch.
void fe_cmov(Fe& f, const Fe& g, std::uint64_t flag) noexcept {
  const std::uint64_t mask = 0 - flag;
  for (int i = 0; i < 5; ++i) f.v[i] ^= mask & (f.v[i] ^ g.v[i]);
}

Fe fe_constant(const char* hex_le) noexcept {
  const auto bytes = from_hex(hex_le);
  if (!bytes || bytes->size() != 32) contract_violation("edwards25519: bad field constant");
  EdBytes s{};
  for (std::size_t i = 0; i < 32; ++i) s[i] = (*bytes)[i];
  return fe_from_bytes(s);
}

struct Constants {
  Fe d = fe_constant("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
  Fe d2 = fe_constant("59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624");
  Fe sqrt_m1 = fe_constant("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
  Fe one{{1, 0, 0, 0, 0}};
};

const Constants& constants() noexcept {
  static const Constants c;
  return c;
}

// ---- Points ------------------------------------------------------------------------------

// A point prepared for addition: (Y - X, Y + X, 2dT, 2Z).
struct Cached {
  Fe y_minus_x, y_plus_x, t2d, z2;
};

Cached to_cached(const EdPoint& p) noexcept {
  return {fe_sub(p.y, p.x), fe_add(p.y, p.x), fe_mul(p.t, constants().d2), fe_add(p.z, p.z)};
}

// add-2008-hwcd-3 with k = 2d.
EdPoint add_cached(const EdPoint& p, const Cached& q) noexcept {
  const Fe a = fe_mul(fe_sub(p.y, p.x), q.y_minus_x);
  const Fe b = fe_mul(fe_add(p.y, p.x), q.y_plus_x);
  const Fe c = fe_mul(p.t, q.t2d);
  const Fe d = fe_mul(p.z, q.z2);
  const Fe e = fe_sub(b, a), f = fe_sub(d, c), g = fe_add(d, c), h = fe_add(b, a);
  return {fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}

// dbl-2008-hwcd with a = -1: A = X^2, B = Y^2, C = 2Z^2, E = (X+Y)^2 - A - B, G = B - A,
// F = G - C, H = -(A + B); X3 = EF, Y3 = GH, Z3 = FG, T3 = EH. With F' = -F and H' = -H every
// coordinate flips sign, which leaves the projective point as it is and saves two negations.
// T is only needed when the result is an addend next: the inner doublings of a window skip it.
EdPoint dbl(const EdPoint& p, bool with_t = true) noexcept {
  const Fe a = fe_sq(p.x), b = fe_sq(p.y);
  const Fe z2 = fe_sq(p.z);
  const Fe c = fe_add(z2, z2);
  const Fe h = fe_add(a, b);
  const Fe e = fe_sub(fe_sq(fe_add(p.x, p.y)), h);
  const Fe g = fe_sub(b, a);
  const Fe f = fe_sub(c, g);
  EdPoint out{fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), Fe{}};
  if (with_t) out.t = fe_mul(e, h);
  return out;
}

void cached_cmov(Cached& r, const Cached& s, std::uint64_t flag) noexcept {
  fe_cmov(r.y_minus_x, s.y_minus_x, flag);
  fe_cmov(r.y_plus_x, s.y_plus_x, flag);
  fe_cmov(r.t2d, s.t2d, flag);
  fe_cmov(r.z2, s.z2, flag);
}

std::uint64_t ct_equal(std::uint8_t a, std::uint8_t b) noexcept {
  return (static_cast<std::uint64_t>(a ^ b) - 1) >> 63;
}

// table[i] = (i + 1) * p in cached form; returns |digit| * p, negated when digit < 0.
Cached select_ct(const std::array<Cached, 8>& table, std::int8_t digit) noexcept {
  const auto negative = static_cast<std::uint8_t>(static_cast<std::uint8_t>(digit) >> 7);
  const auto magnitude = static_cast<std::uint8_t>(digit - ((-negative & digit) << 1));
  Cached r{constants().one, constants().one, Fe{}, fe_add(constants().one, constants().one)};
  for (std::uint8_t i = 0; i < 8; ++i) cached_cmov(r, table[i], ct_equal(magnitude, i + 1));
  Cached neg{r.y_plus_x, r.y_minus_x, fe_neg(r.t2d), r.z2};
  cached_cmov(r, neg, negative);
  return r;
}

}  // namespace

std::optional<EdPoint> edwards_decode(const EdBytes& bytes) noexcept {
  const Constants& k = constants();
  EdBytes y_bytes = bytes;
  y_bytes[31] &= std::byte{0x7f};
  const Fe y = fe_from_bytes(y_bytes);
  if (fe_to_bytes(y) != y_bytes) return std::nullopt;  // y >= p: not canonical
  const Fe y2 = fe_sq(y);
  const Fe u = fe_sub(y2, k.one);
  const Fe v = fe_add(fe_mul(k.d, y2), k.one);
  // x = u v^3 (u v^7)^((p - 5) / 8), then fix the root of -1 (RFC 8032 §5.1.3 step 3).
  const Fe v3 = fe_mul(fe_sq(v), v);
  Fe x = fe_mul(fe_mul(u, v3), fe_pow22523(fe_mul(u, fe_mul(fe_sq(v3), v))));
  const Fe vx2 = fe_mul(v, fe_sq(x));
  if (!fe_equal(vx2, u)) {
    if (!fe_equal(vx2, fe_neg(u))) return std::nullopt;  // not on the curve
    x = fe_mul(x, k.sqrt_m1);
  }
  const std::uint8_t sign = std::to_integer<std::uint8_t>(bytes[31]) >> 7;
  if (fe_is_zero(x) && sign == 1) return std::nullopt;
  if (fe_is_negative(x) != sign) x = fe_neg(x);
  return EdPoint{x, y, k.one, fe_mul(x, y)};
}

EdBytes edwards_encode(const EdPoint& p) noexcept {
  const Fe z_inv = fe_invert(p.z);
  EdBytes out = fe_to_bytes(fe_mul(p.y, z_inv));
  out[31] |= static_cast<std::byte>(fe_is_negative(fe_mul(p.x, z_inv)) << 7);
  return out;
}

EdPoint edwards_identity() noexcept {
  return {Fe{}, constants().one, constants().one, Fe{}};
}

EdPoint edwards_base_point() noexcept {
  static const EdPoint base = [] {
    const auto bytes = from_hex("5866666666666666666666666666666666666666666666666666666666666666");
    EdBytes s{};
    for (std::size_t i = 0; i < 32; ++i) s[i] = (*bytes)[i];
    auto p = edwards_decode(s);
    if (!p) contract_violation("edwards25519: base point does not decode");
    return *p;
  }();
  return base;
}

EdPoint edwards_add(const EdPoint& a, const EdPoint& b) noexcept {
  return add_cached(a, to_cached(b));
}

EdPoint edwards_negate(const EdPoint& a) noexcept {
  return {fe_neg(a.x), a.y, a.z, fe_neg(a.t)};
}

EdPoint edwards_mul_by_cofactor(const EdPoint& a) noexcept {
  return dbl(dbl(dbl(a, false), false));
}

bool edwards_is_identity(const EdPoint& a) noexcept {
  return fe_is_zero(a.x) && fe_equal(a.y, a.z);
}

EdPoint edwards_scalarmult(const EdBytes& scalar, const EdPoint& p) noexcept {
  if (std::to_integer<unsigned>(scalar[31]) > 127) {
    contract_violation("edwards_scalarmult: scalar must be below 2^255");
  }
  // Signed radix-16 digits in [-8, 8] (ref10's recoding).
  std::array<std::int8_t, 64> e{};
  for (int i = 0; i < 32; ++i) {
    const auto byte = std::to_integer<std::uint8_t>(scalar[i]);
    e[2 * i] = static_cast<std::int8_t>(byte & 15);
    e[2 * i + 1] = static_cast<std::int8_t>(byte >> 4);
  }
  std::int8_t carry = 0;
  for (int i = 0; i < 63; ++i) {
    e[i] = static_cast<std::int8_t>(e[i] + carry);
    carry = static_cast<std::int8_t>((e[i] + 8) >> 4);
    e[i] = static_cast<std::int8_t>(e[i] - carry * 16);
  }
  e[63] = static_cast<std::int8_t>(e[63] + carry);

  std::array<Cached, 8> table{};
  EdPoint multiple = p;
  table[0] = to_cached(p);
  for (std::size_t i = 1; i < 8; ++i) {
    multiple = add_cached(multiple, table[0]);
    table[i] = to_cached(multiple);
  }
  EdPoint r = edwards_identity();
  for (int i = 63; i >= 0; --i) {
    if (i != 63) {
      r = dbl(dbl(dbl(dbl(r, false), false), false));
    }
    Cached chosen = select_ct(table, e[i]);
    r = add_cached(r, chosen);
    secure_wipe(MutableByteView(reinterpret_cast<std::byte*>(&chosen), sizeof chosen));
  }
  secure_wipe(MutableByteView(reinterpret_cast<std::byte*>(e.data()), e.size()));
  return r;
}

EdPoint edwards_double_scalarmult_vartime(const EdBytes& a, const EdPoint& p, const EdBytes& b,
                                          const EdPoint& q) noexcept {
  std::array<Cached, 16> tp{}, tq{};  // i * p, i * q for i = 1..15 (index 0 unused)
  EdPoint mp = p, mq = q;
  for (std::size_t i = 1; i < 16; ++i) {
    tp[i] = to_cached(mp);
    tq[i] = to_cached(mq);
    mp = add_cached(mp, tp[1]);
    mq = add_cached(mq, tq[1]);
  }
  EdPoint r = edwards_identity();
  for (int i = 63; i >= 0; --i) {
    if (i != 63) r = dbl(dbl(dbl(dbl(r, false), false), false));
    const auto na = (std::to_integer<unsigned>(a[i / 2]) >> (4 * (i % 2))) & 15;
    const auto nb = (std::to_integer<unsigned>(b[i / 2]) >> (4 * (i % 2))) & 15;
    if (na != 0) r = add_cached(r, tp[na]);
    if (nb != 0) r = add_cached(r, tq[nb]);
  }
  return r;
}

}  // namespace bulwark::crypto::detail

#undef BULWARK_FE_INLINE
