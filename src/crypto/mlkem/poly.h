// Polynomials of R_q = Z_q[X]/(X^256 + 1) and their byte encodings (FIPS 203 §4.2).
//
// Encodings are little-endian bit packings (ByteEncode_d / ByteDecode_d, Algorithms 5-6).
// Every routine that may touch a secret is branch-free and indexes memory by position only;
// the two that depend on values (rejection sampling, the modulus check) only ever see public
// data (the matrix seed rho, the encapsulation key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/bytes.h"
#include "crypto/mlkem/ntt.h"

namespace bulwark::crypto::mlkem {

inline constexpr std::size_t poly_bytes = 384;  // ByteEncode_12
inline constexpr std::size_t message_bytes = 32;

struct Poly {
  Coefficients c{};
};

using Bytes8 = std::span<std::uint8_t>;
using ConstBytes8 = std::span<const std::uint8_t>;

// The same bytes seen as uint8_t (arithmetic here) or std::byte (the rest of Bulwark).
inline ConstBytes8 u8(ByteView bytes) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
}
inline Bytes8 u8(MutableByteView bytes) noexcept {
  return {reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size()};
}
inline ByteView as_byte_view(ConstBytes8 bytes) noexcept {
  return {reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()};
}
inline MutableByteView as_byte_view(Bytes8 bytes) noexcept {
  return {reinterpret_cast<std::byte*>(bytes.data()), bytes.size()};
}

void poly_add(Poly& r, const Poly& a, const Poly& b) noexcept;  // no reduction
void poly_sub(Poly& r, const Poly& a, const Poly& b) noexcept;  // no reduction
void poly_reduce(Poly& p) noexcept;                             // Barrett, to |c| <= (q-1)/2
void poly_to_montgomery(Poly& p) noexcept;                      // times 2^16
void poly_ntt(Poly& p) noexcept;                                // NTT, then reduce
void poly_inverse_ntt_to_montgomery(Poly& p) noexcept;
// r += a * b in the NTT domain, times 2^-16 (the caller reduces once at the end).
void poly_multiply_accumulate(Poly& r, const Poly& a, const Poly& b) noexcept;

// ByteEncode_12 of p reduced to [0, q). Requires |c| < q. out.size() == poly_bytes.
void poly_encode12(Bytes8 out, const Poly& p) noexcept;
// ByteDecode_12: values in [0, 4096), not reduced. in.size() == poly_bytes.
void poly_decode12(Poly& p, ConstBytes8 in) noexcept;
// True when every 12-bit value of `in` is < q (FIPS 203 §7.2 modulus check). Public data only.
[[nodiscard]] bool encode12_is_reduced(ConstBytes8 in) noexcept;

// ByteEncode_d(Compress_d(p)); requires |c| < q; out.size() == 32 * d.
void poly_compress(Bytes8 out, const Poly& p, int d) noexcept;
// Decompress_d(ByteDecode_d(in)); in.size() == 32 * d.
void poly_decompress(Poly& p, ConstBytes8 in, int d) noexcept;

// Decompress_1(ByteDecode_1(m)) and its inverse ByteEncode_1(Compress_1(p)).
void poly_from_message(Poly& p, ConstBytes8 message) noexcept;
void poly_to_message(Bytes8 message, const Poly& p) noexcept;

// SamplePolyCBD_2 (Algorithm 8) from 128 bytes of PRF output.
void poly_sample_cbd2(Poly& p, ConstBytes8 prf_output) noexcept;

// SampleNTT's rejection step (Algorithm 7) over XOF output `stream`: fills p.c with accepted
// values and returns how many it found (at most n; n means p is complete). Public data only.
[[nodiscard]] std::size_t poly_sample_ntt_from(Poly& p, ConstBytes8 stream) noexcept;

}  // namespace bulwark::crypto::mlkem
