#include "crypto/mlkem/ntt.h"

namespace bulwark::crypto::mlkem {
namespace {

constexpr unsigned bit_reverse7(unsigned i) noexcept {
  unsigned r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1u) << (6 - b);
  return r;
}

constexpr std::array<std::int16_t, 128> make_zetas() noexcept {
  std::array<std::int16_t, 128> table{};
  for (unsigned i = 0; i < 128; ++i) {
    std::int64_t z = 1;
    for (unsigned e = 0; e < bit_reverse7(i); ++e) z = (z * 17) % q;
    std::int64_t mont = (z * 65536) % q;          // to Montgomery form
    if (mont > q / 2) mont -= q;                  // centred representative
    table[i] = static_cast<std::int16_t>(mont);
  }
  return table;
}

constexpr std::array<std::int16_t, 128> zeta_table = make_zetas();
static_assert(zeta_table[0] == -1044, "2^16 mod q, centred");
static_assert(zeta_table[1] == -758);

// 2^32 / 128 mod q: one Montgomery multiply by it scales by 2^16 / 128.
constexpr std::int16_t inverse_ntt_factor = [] {
  std::int64_t f = (std::int64_t{1} << 32) % q;
  for (int i = 0; i < 7; ++i) f = (f % 2 == 0) ? f / 2 : (f + q) / 2;  // divide by 128
  return static_cast<std::int16_t>(f);
}();
static_assert(inverse_ntt_factor == 1441);

}  // namespace

const std::array<std::int16_t, 128>& zetas() noexcept { return zeta_table; }

void ntt(Coefficients& a) noexcept {
  unsigned k = 1;
  for (unsigned len = 128; len >= 2; len >>= 1) {
    for (unsigned start = 0; start < n; start += 2 * len) {
      const std::int16_t zeta = zeta_table[k++];
      for (unsigned j = start; j < start + len; ++j) {
        const std::int16_t t = fqmul(zeta, a[j + len]);
        a[j + len] = static_cast<std::int16_t>(a[j] - t);
        a[j] = static_cast<std::int16_t>(a[j] + t);
      }
    }
  }
}

void inverse_ntt_to_montgomery(Coefficients& a) noexcept {
  unsigned k = 127;
  for (unsigned len = 2; len <= 128; len <<= 1) {
    for (unsigned start = 0; start < n; start += 2 * len) {
      const std::int16_t zeta = zeta_table[k--];
      for (unsigned j = start; j < start + len; ++j) {
        const std::int16_t t = a[j];
        a[j] = barrett_reduce(static_cast<std::int16_t>(t + a[j + len]));
        a[j + len] = fqmul(zeta, static_cast<std::int16_t>(a[j + len] - t));
      }
    }
  }
  for (auto& c : a) c = fqmul(c, inverse_ntt_factor);
}

void multiply_ntt_montgomery(Coefficients& r, const Coefficients& a,
                             const Coefficients& b) noexcept {
  // Pairs of coefficients are degree-1 polynomials mod X^2 - zeta (FIPS 203 Algorithm 12).
  for (unsigned i = 0; i < n / 4; ++i) {
    for (unsigned half = 0; half < 2; ++half) {
      const unsigned o = 4 * i + 2 * half;
      const std::int16_t zeta =
          half == 0 ? zeta_table[64 + i] : static_cast<std::int16_t>(-zeta_table[64 + i]);
      const std::int16_t a0 = a[o], a1 = a[o + 1], b0 = b[o], b1 = b[o + 1];
      r[o] = static_cast<std::int16_t>(fqmul(fqmul(a1, b1), zeta) + fqmul(a0, b0));
      r[o + 1] = static_cast<std::int16_t>(fqmul(a0, b1) + fqmul(a1, b0));
    }
  }
}

}  // namespace bulwark::crypto::mlkem
