#include "crypto/detail/edwards25519.h"

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/detail/field25519.h"

namespace bulwark::crypto::detail {
namespace {

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

