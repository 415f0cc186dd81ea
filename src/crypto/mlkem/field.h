// Arithmetic in Z_q, q = 3329, for ML-KEM (FIPS 203 §2.4, §4.3).
//
// Coefficients are int16_t. Products go through Montgomery reduction (R = 2^16) and sums
// through Barrett reduction, exactly as the pqcrystals reference does. Every function is
// branch-free and table-free: safe on secret inputs.
#pragma once

#include <cstdint>

namespace bulwark::crypto::mlkem {

inline constexpr int n = 256;
inline constexpr std::int16_t q = 3329;
inline constexpr std::int32_t q_inverse_mod_r = -3327;  // q^-1 mod 2^16, as a signed value

// Requires -q * 2^15 <= a < q * 2^15. Returns a * 2^-16 mod q, in (-q, q).
constexpr std::int16_t montgomery_reduce(std::int32_t a) noexcept {
  const auto t = static_cast<std::int16_t>(static_cast<std::int16_t>(a) * q_inverse_mod_r);
  return static_cast<std::int16_t>((a - static_cast<std::int32_t>(t) * q) >> 16);
}

// The high and low halves of a 16 x 16 -> 32-bit product (one vector instruction each).
constexpr std::int16_t mul_high(std::int16_t a, std::int16_t b) noexcept {
  return static_cast<std::int16_t>((static_cast<std::int32_t>(a) * b) >> 16);
}
constexpr std::int16_t mul_low(std::int16_t a, std::int16_t b) noexcept {
  return static_cast<std::int16_t>(static_cast<std::int32_t>(a) * b);
}

// a * b * 2^-16 mod q, in (-q, q): montgomery_reduce(a * b), written with 16-bit halves so that
// compilers map it onto packed multiplies (t * q and a * b agree in their low 16 bits, so the
// difference of the high halves is exact).
constexpr std::int16_t fqmul(std::int16_t a, std::int16_t b) noexcept {
  const std::int16_t t = mul_low(mul_low(a, b), static_cast<std::int16_t>(q_inverse_mod_r));
  return static_cast<std::int16_t>(mul_high(a, b) - mul_high(t, q));
}

// Returns the representative of a mod q in [-(q-1)/2, (q-1)/2].
constexpr std::int16_t barrett_reduce(std::int16_t a) noexcept {
  constexpr std::int32_t v = ((1 << 26) + q / 2) / q;
  const auto t = static_cast<std::int16_t>((v * a + (1 << 25)) >> 26);
  return static_cast<std::int16_t>(a - t * q);
}

// Requires -q < a < q. Returns a mod q in [0, q), without a branch.
constexpr std::int16_t to_nonnegative(std::int16_t a) noexcept {
  return static_cast<std::int16_t>(a + ((a >> 15) & q));
}

// Compress_d (FIPS 203 eq. 4.7) of x in [0, q): round(2^d * x / q) mod 2^d, for d <= 11.
// The division by q is a multiplication by ceil(2^35 / q) and a shift, exact for every
// numerator below 2^23 (checked exhaustively in tests), so no division instruction ever sees
// a secret (KyberSlash).
constexpr std::uint32_t compress(std::uint32_t x, int d) noexcept {
  constexpr std::uint64_t m = ((std::uint64_t{1} << 35) + q - 1) / q;
  const std::uint64_t numerator = (static_cast<std::uint64_t>(x) << d) + q / 2;
  return static_cast<std::uint32_t>((numerator * m) >> 35) & ((1u << d) - 1);
}

// Decompress_d (FIPS 203 eq. 4.8) of y in [0, 2^d): round(q * y / 2^d).
constexpr std::int16_t decompress(std::uint32_t y, int d) noexcept {
  return static_cast<std::int16_t>((y * static_cast<std::uint32_t>(q) + (1u << (d - 1))) >> d);
}

}  // namespace bulwark::crypto::mlkem
