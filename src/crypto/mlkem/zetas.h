// The NTT's constants (FIPS 203 §4.3): zeta_table[i] = 17^BitRev7(i) in Montgomery form,
// centred, and the scale factor of the inverse transform. Computed at compile time; the
// static_asserts pin the first entries to the pqcrystals reference table.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/mlkem/field.h"

namespace bulwark::crypto::mlkem {

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

inline constexpr std::array<std::int16_t, 128> zeta_table = make_zetas();
static_assert(zeta_table[0] == -1044, "2^16 mod q, centred");
static_assert(zeta_table[1] == -758);

// 2^32 / 128 mod q: one Montgomery multiply by it scales by 2^16 / 128.
inline constexpr std::int16_t inverse_ntt_factor = [] {
  std::int64_t f = (std::int64_t{1} << 32) % q;
  for (int i = 0; i < 7; ++i) f = (f % 2 == 0) ? f / 2 : (f + q) / 2;  // divide by 128
  return static_cast<std::int16_t>(f);
}();
static_assert(inverse_ntt_factor == 1441);

}  // namespace bulwark::crypto::mlkem
