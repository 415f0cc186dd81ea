// The number-theoretic transform of ML-KEM (FIPS 203 §4.3, Algorithms 9-12).
//
// Forward NTT takes coefficients in normal order and returns them in bit-reversed order, as
// FIPS 203 does; the zeta table is 17^BitRev7(i) in Montgomery form, computed at compile time.
// No branch or index depends on coefficient values.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/mlkem/field.h"

namespace bulwark::crypto::mlkem {

using Coefficients = std::array<std::int16_t, n>;

// Requires |a[i]| < q. Output |a[i]| < 8q (callers Barrett-reduce afterwards).
void ntt(Coefficients& a) noexcept;

// Inverse NTT, multiplied by the Montgomery factor 2^16 (undoing basemul's 2^-16).
// Requires |a[i]| < q. Output |a[i]| < q.
void inverse_ntt_to_montgomery(Coefficients& a) noexcept;

// r += a * b in the NTT domain (FIPS 203 MultiplyNTTs), times 2^-16. Accumulating in place
// leaves no temporary product (which may be secret) to wipe. Each call adds less than 2q in
// magnitude per coefficient; callers reduce before the sum could reach 2^15.
void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept;

// Barrett-reduces every coefficient to [-(q-1)/2, (q-1)/2].
void reduce(Coefficients& a) noexcept;

// The zeta table, exposed for tests: zetas()[i] = 2^16 * 17^BitRev7(i) mod q, centred.
const std::array<std::int16_t, 128>& zetas() noexcept;

// The two implementations behind the functions above, exposed so that tests can check they
// agree: plain C++ (any platform) and SSE2 vectors (x86-64, where SSE2 is always present).
namespace portable {
void ntt(Coefficients& a) noexcept;
void inverse_ntt_to_montgomery(Coefficients& a) noexcept;
void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept;
void reduce(Coefficients& a) noexcept;
}  // namespace portable

#if defined(__SSE2__)
namespace sse2 {
void ntt(Coefficients& a) noexcept;
void inverse_ntt_to_montgomery(Coefficients& a) noexcept;
void multiply_accumulate_ntt_montgomery(Coefficients& r, const Coefficients& a,
                                        const Coefficients& b) noexcept;
void reduce(Coefficients& a) noexcept;
}  // namespace sse2
#endif

}  // namespace bulwark::crypto::mlkem
