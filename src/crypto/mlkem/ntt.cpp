#include "crypto/mlkem/ntt.h"

#include "crypto/mlkem/zetas.h"

namespace bulwark::crypto::mlkem {

const std::array<std::int16_t, 128>& zetas() noexcept { return zeta_table; }

namespace portable {
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

void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept {
  // Pairs of coefficients are degree-1 polynomials mod X^2 - zeta (FIPS 203 Algorithm 12).
  for (unsigned i = 0; i < n / 4; ++i) {
    for (unsigned half = 0; half < 2; ++half) {
      const unsigned o = 4 * i + 2 * half;
      const std::int16_t zeta =
          half == 0 ? zeta_table[64 + i] : static_cast<std::int16_t>(-zeta_table[64 + i]);
      const std::int16_t a0 = a[o], a1 = a[o + 1], b0 = b[o], b1 = b[o + 1];
      r[o] = static_cast<std::int16_t>(r[o] + fqmul(fqmul(a1, b1), zeta) + fqmul(a0, b0));
      r[o + 1] = static_cast<std::int16_t>(r[o + 1] + fqmul(a0, b1) + fqmul(a1, b0));
    }
  }
}

void reduce(Coefficients& a) noexcept {
  for (auto& c : a) c = barrett_reduce(c);
}

}  // namespace portable

// On x86-64, SSE2 is part of the base instruction set: use the vector butterflies everywhere.
#if defined(__SSE2__)
void ntt(Coefficients& a) noexcept { sse2::ntt(a); }
void inverse_ntt_to_montgomery(Coefficients& a) noexcept { sse2::inverse_ntt_to_montgomery(a); }
void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept {
  sse2::multiply_accumulate_ntt_montgomery(r, a, b);
}
void reduce(Coefficients& a) noexcept { sse2::reduce(a); }
#else
void ntt(Coefficients& a) noexcept { portable::ntt(a); }
void inverse_ntt_to_montgomery(Coefficients& a) noexcept { portable::inverse_ntt_to_montgomery(a); }
void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept {
  portable::multiply_accumulate_ntt_montgomery(r, a, b);
}
void reduce(Coefficients& a) noexcept { portable::reduce(a); }
#endif

}  // namespace bulwark::crypto::mlkem
