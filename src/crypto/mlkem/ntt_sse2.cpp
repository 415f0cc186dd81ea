// The NTT, its inverse and MultiplyNTTs (accumulating) on SSE2 vectors of eight int16 coefficients.
//
// Same arithmetic as the portable code, lane by lane (fqmul as high/low 16-bit products,
// Barrett with the same rounding), so the two give identical results: a test checks that on
// random inputs. Layers with butterflies 8 or more apart work on whole vectors; the last two
// layers (4 and 2 apart) first regroup two vectors so that each butterfly's halves sit in
// matching lanes. No lane or index depends on coefficient values.
#include "crypto/mlkem/ntt.h"

#if defined(__SSE2__)

#include <emmintrin.h>

#include "crypto/mlkem/zetas.h"

namespace bulwark::crypto::mlkem::sse2 {
namespace {

using Vec = __m128i;

Vec load(const std::int16_t* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const Vec*>(p)); }
void store(std::int16_t* p, Vec v) noexcept { _mm_storeu_si128(reinterpret_cast<Vec*>(p), v); }
Vec splat(std::int16_t x) noexcept { return _mm_set1_epi16(x); }

// Lane-wise fqmul (field.h): high(a * b) - high(low(low(a * b) * q^-1) * q).
Vec fqmul(Vec a, Vec b) noexcept {
  const Vec t = _mm_mullo_epi16(_mm_mullo_epi16(a, b), splat(static_cast<std::int16_t>(q_inverse_mod_r)));
  return _mm_sub_epi16(_mm_mulhi_epi16(a, b), _mm_mulhi_epi16(t, splat(q)));
}

// Lane-wise barrett_reduce (field.h): floor((floor(a * v / 2^16) + 2^9) / 2^10) equals
// floor((a * v + 2^25) / 2^26), the scalar quotient.
Vec barrett(Vec a) noexcept {
  constexpr std::int16_t v = ((1 << 26) + q / 2) / q;
  Vec t = _mm_mulhi_epi16(a, splat(v));
  t = _mm_srai_epi16(_mm_add_epi16(t, splat(1 << 9)), 10);
  return _mm_sub_epi16(a, _mm_mullo_epi16(t, splat(q)));
}

// Forward (Cooley-Tukey) and inverse (Gentleman-Sande) butterflies on matching lanes.
void forward_butterfly(Vec& lo, Vec& hi, Vec zeta) noexcept {
  const Vec t = fqmul(hi, zeta);
  hi = _mm_sub_epi16(lo, t);
  lo = _mm_add_epi16(lo, t);
}

void inverse_butterfly(Vec& lo, Vec& hi, Vec zeta) noexcept {
  const Vec t = lo;
  lo = barrett(_mm_add_epi16(t, hi));
  hi = fqmul(_mm_sub_epi16(hi, t), zeta);
}

// Zetas for four groups, each repeated over the two lanes of its half-group (len = 2), or for
// two groups repeated over four lanes (len = 4). _mm_set_epi16 lists lanes high to low.
Vec zetas_pairs(std::int16_t z0, std::int16_t z1, std::int16_t z2, std::int16_t z3) noexcept {
  return _mm_set_epi16(z3, z3, z2, z2, z1, z1, z0, z0);
}
Vec zetas_quads(std::int16_t z0, std::int16_t z1) noexcept {
  return _mm_set_epi16(z1, z1, z1, z1, z0, z0, z0, z0);
}

// Regrouping for the two narrow layers. For len = 4, x = [a0..a3 b0..b3], y likewise: the
// low halves of both groups go to `lo`, the high halves to `hi`. For len = 2, each 32-bit
// pair is a half-group: x = [X0 X1 X2 X3] becomes lo = [X0 X2 Y0 Y2], hi = [X1 X3 Y1 Y3].
void split4(Vec x, Vec y, Vec& lo, Vec& hi) noexcept {
  lo = _mm_unpacklo_epi64(x, y);
  hi = _mm_unpackhi_epi64(x, y);
}
void join4(Vec lo, Vec hi, Vec& x, Vec& y) noexcept {
  x = _mm_unpacklo_epi64(lo, hi);
  y = _mm_unpackhi_epi64(lo, hi);
}
void split2(Vec x, Vec y, Vec& lo, Vec& hi) noexcept {
  const Vec xs = _mm_shuffle_epi32(x, _MM_SHUFFLE(3, 1, 2, 0));
  const Vec ys = _mm_shuffle_epi32(y, _MM_SHUFFLE(3, 1, 2, 0));
  lo = _mm_unpacklo_epi64(xs, ys);
  hi = _mm_unpackhi_epi64(xs, ys);
}
void join2(Vec lo, Vec hi, Vec& x, Vec& y) noexcept {
  x = _mm_unpacklo_epi32(lo, hi);
  y = _mm_unpackhi_epi32(lo, hi);
}

template <unsigned Len>
void forward_wide(Coefficients& a, unsigned& k) noexcept {
  for (unsigned start = 0; start < n; start += 2 * Len) {
    const Vec zeta = splat(zeta_table[k++]);
    for (unsigned j = start; j < start + Len; j += 8) {
      Vec lo = load(&a[j]), hi = load(&a[j + Len]);
      forward_butterfly(lo, hi, zeta);
      store(&a[j], lo);
      store(&a[j + Len], hi);
    }
  }
}

template <unsigned Len>
void inverse_wide(Coefficients& a, unsigned& k) noexcept {
  for (unsigned start = 0; start < n; start += 2 * Len) {
    const Vec zeta = splat(zeta_table[k--]);
    for (unsigned j = start; j < start + Len; j += 8) {
      Vec lo = load(&a[j]), hi = load(&a[j + Len]);
      inverse_butterfly(lo, hi, zeta);
      store(&a[j], lo);
      store(&a[j + Len], hi);
    }
  }
}

}  // namespace

void ntt(Coefficients& a) noexcept {
  unsigned k = 1;
  forward_wide<128>(a, k);
  forward_wide<64>(a, k);
  forward_wide<32>(a, k);
  forward_wide<16>(a, k);
  forward_wide<8>(a, k);
  for (unsigned j = 0; j < n; j += 16, k += 2) {  // len = 4: zetas 32..63
    Vec x = load(&a[j]), y = load(&a[j + 8]), lo, hi;
    split4(x, y, lo, hi);
    forward_butterfly(lo, hi, zetas_quads(zeta_table[k], zeta_table[k + 1]));
    join4(lo, hi, x, y);
    store(&a[j], x);
    store(&a[j + 8], y);
  }
  for (unsigned j = 0; j < n; j += 16, k += 4) {  // len = 2: zetas 64..127
    Vec x = load(&a[j]), y = load(&a[j + 8]), lo, hi;
    split2(x, y, lo, hi);
    forward_butterfly(lo, hi, zetas_pairs(zeta_table[k], zeta_table[k + 1], zeta_table[k + 2],
                                          zeta_table[k + 3]));
    join2(lo, hi, x, y);
    store(&a[j], x);
    store(&a[j + 8], y);
  }
}

void inverse_ntt_to_montgomery(Coefficients& a) noexcept {
  unsigned k = 127;
  for (unsigned j = 0; j < n; j += 16, k -= 4) {  // len = 2: zetas 127 down to 64
    Vec x = load(&a[j]), y = load(&a[j + 8]), lo, hi;
    split2(x, y, lo, hi);
    inverse_butterfly(lo, hi, zetas_pairs(zeta_table[k], zeta_table[k - 1], zeta_table[k - 2],
                                          zeta_table[k - 3]));
    join2(lo, hi, x, y);
    store(&a[j], x);
    store(&a[j + 8], y);
  }
  for (unsigned j = 0; j < n; j += 16, k -= 2) {  // len = 4: zetas 63 down to 32
    Vec x = load(&a[j]), y = load(&a[j + 8]), lo, hi;
    split4(x, y, lo, hi);
    inverse_butterfly(lo, hi, zetas_quads(zeta_table[k], zeta_table[k - 1]));
    join4(lo, hi, x, y);
    store(&a[j], x);
    store(&a[j + 8], y);
  }
  inverse_wide<8>(a, k);
  inverse_wide<16>(a, k);
  inverse_wide<32>(a, k);
  inverse_wide<64>(a, k);
  inverse_wide<128>(a, k);
  const Vec factor = splat(inverse_ntt_factor);
  for (unsigned j = 0; j < n; j += 8) store(&a[j], fqmul(load(&a[j]), factor));
}

void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept {
  // Sixteen coefficients are eight degree-1 products (c0 + c1 X) mod (X^2 - zeta), with
  // zeta = +z, -z, +z', -z', ... Even and odd coefficients are split into their own vectors
  // (sign-extend the 32-bit pairs, then pack), multiplied, and interleaved back.
  const auto evens = [](Vec x, Vec y) {
    return _mm_packs_epi32(_mm_srai_epi32(_mm_slli_epi32(x, 16), 16),
                           _mm_srai_epi32(_mm_slli_epi32(y, 16), 16));
  };
  const auto odds = [](Vec x, Vec y) {
    return _mm_packs_epi32(_mm_srai_epi32(x, 16), _mm_srai_epi32(y, 16));
  };
  for (unsigned j = 0, i = 0; j < n; j += 16, i += 4) {
    const Vec ax = load(&a[j]), ay = load(&a[j + 8]), bx = load(&b[j]), by = load(&b[j + 8]);
    const Vec a0 = evens(ax, ay), a1 = odds(ax, ay), b0 = evens(bx, by), b1 = odds(bx, by);
    const std::int16_t z0 = zeta_table[64 + i], z1 = zeta_table[65 + i];
    const std::int16_t z2 = zeta_table[66 + i], z3 = zeta_table[67 + i];
    const Vec zeta = _mm_set_epi16(static_cast<std::int16_t>(-z3), z3, static_cast<std::int16_t>(-z2),
                                   z2, static_cast<std::int16_t>(-z1), z1,
                                   static_cast<std::int16_t>(-z0), z0);
    const Vec c0 = _mm_add_epi16(fqmul(fqmul(a1, b1), zeta), fqmul(a0, b0));
    const Vec c1 = _mm_add_epi16(fqmul(a0, b1), fqmul(a1, b0));
    store(&r[j], _mm_add_epi16(load(&r[j]), _mm_unpacklo_epi16(c0, c1)));
    store(&r[j + 8], _mm_add_epi16(load(&r[j + 8]), _mm_unpackhi_epi16(c0, c1)));
  }
}

void reduce(Coefficients& a) noexcept {
  for (unsigned j = 0; j < n; j += 8) store(&a[j], barrett(load(&a[j])));
}

}  // namespace bulwark::crypto::mlkem::sse2

#endif  // __SSE2__
