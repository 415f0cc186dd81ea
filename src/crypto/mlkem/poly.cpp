#include "crypto/mlkem/poly.h"

#include "common/result.h"

namespace bulwark::crypto::mlkem {

void poly_add(Poly& r, const Poly& a, const Poly& b) noexcept {
  for (int i = 0; i < n; ++i) r.c[i] = static_cast<std::int16_t>(a.c[i] + b.c[i]);
}

void poly_sub(Poly& r, const Poly& a, const Poly& b) noexcept {
  for (int i = 0; i < n; ++i) r.c[i] = static_cast<std::int16_t>(a.c[i] - b.c[i]);
}

void poly_reduce(Poly& p) noexcept { reduce(p.c); }

void poly_to_montgomery(Poly& p) noexcept {
  constexpr std::int16_t r_squared = static_cast<std::int16_t>((std::uint64_t{1} << 32) % q);
  for (auto& c : p.c) c = fqmul(c, r_squared);
}

void poly_ntt(Poly& p) noexcept {
  ntt(p.c);
  poly_reduce(p);
}

void poly_inverse_ntt_to_montgomery(Poly& p) noexcept { inverse_ntt_to_montgomery(p.c); }

void poly_multiply_accumulate(Poly& r, const Poly& a, const Poly& b) noexcept {
  multiply_accumulate_ntt_montgomery(r.c, a.c, b.c);
}

void poly_encode12(Bytes8 out, const Poly& p) noexcept {
  for (int i = 0; i < n / 2; ++i) {
    const auto t0 = static_cast<std::uint16_t>(to_nonnegative(p.c[2 * i]));
    const auto t1 = static_cast<std::uint16_t>(to_nonnegative(p.c[2 * i + 1]));
    out[3 * i] = static_cast<std::uint8_t>(t0);
    out[3 * i + 1] = static_cast<std::uint8_t>((t0 >> 8) | (t1 << 4));
    out[3 * i + 2] = static_cast<std::uint8_t>(t1 >> 4);
  }
}

void poly_decode12(Poly& p, ConstBytes8 in) noexcept {
  for (int i = 0; i < n / 2; ++i) {
    const unsigned b0 = in[3 * i], b1 = in[3 * i + 1], b2 = in[3 * i + 2];
    p.c[2 * i] = static_cast<std::int16_t>((b0 | (b1 << 8)) & 0xfff);
    p.c[2 * i + 1] = static_cast<std::int16_t>(((b1 >> 4) | (b2 << 4)) & 0xfff);
  }
}

bool encode12_is_reduced(ConstBytes8 in) noexcept {
  Poly p;
  poly_decode12(p, in);
  unsigned out_of_range = 0;
  for (auto c : p.c) out_of_range |= static_cast<unsigned>(c >= q);
  return out_of_range == 0;
}

namespace {

// ByteEncode_d packs 8 values of d bits into d bytes, little-endian; the loops below work on
// such groups of 8 so that every shift is a compile-time constant the compiler can unroll.
template <int D>
void compress_d(Bytes8 out, const Poly& p) noexcept {
  for (int group = 0; group < n / 8; ++group) {
    std::uint64_t acc = 0;  // bits 0..63 of the group; `high` holds bits 64..87 (D = 11)
    std::uint32_t high = 0;
    for (int j = 0; j < 8; ++j) {
      const std::uint64_t v =
          compress(static_cast<std::uint32_t>(to_nonnegative(p.c[8 * group + j])), D);
      const int shift = D * j;
      if (shift < 64) acc |= v << shift;
      if (shift >= 64) {
        high |= static_cast<std::uint32_t>(v << (shift - 64));
      } else if (shift + D > 64) {
        high |= static_cast<std::uint32_t>(v >> (64 - shift));
      }
    }
    for (int b = 0; b < D; ++b) {
      out[D * group + b] = static_cast<std::uint8_t>(b < 8 ? acc >> (8 * b) : high >> (8 * (b - 8)));
    }
  }
}

template <int D>
void decompress_d(Poly& p, ConstBytes8 in) noexcept {
  for (int group = 0; group < n / 8; ++group) {
    std::uint64_t acc = 0;
    std::uint32_t high = 0;
    for (int b = 0; b < D; ++b) {
      const std::uint32_t byte = in[D * group + b];
      if (b < 8) acc |= static_cast<std::uint64_t>(byte) << (8 * b);
      else high |= byte << (8 * (b - 8));
    }
    for (int j = 0; j < 8; ++j) {
      const int shift = D * j;
      std::uint64_t v = 0;
      if (shift >= 64) {
        v = high >> (shift - 64);
      } else {
        v = acc >> shift;
        if (shift + D > 64) v |= static_cast<std::uint64_t>(high) << (64 - shift);
      }
      p.c[8 * group + j] = decompress(static_cast<std::uint32_t>(v) & ((1u << D) - 1), D);
    }
  }
}

}  // namespace

void poly_compress(Bytes8 out, const Poly& p, int d) noexcept {
  switch (d) {
    case 4: return compress_d<4>(out, p);
    case 5: return compress_d<5>(out, p);
    case 10: return compress_d<10>(out, p);
    case 11: return compress_d<11>(out, p);
    default: contract_violation("ML-KEM compression width must be 4, 5, 10 or 11");
  }
}

void poly_decompress(Poly& p, ConstBytes8 in, int d) noexcept {
  switch (d) {
    case 4: return decompress_d<4>(p, in);
    case 5: return decompress_d<5>(p, in);
    case 10: return decompress_d<10>(p, in);
    case 11: return decompress_d<11>(p, in);
    default: contract_violation("ML-KEM compression width must be 4, 5, 10 or 11");
  }
}

void poly_from_message(Poly& p, ConstBytes8 message) noexcept {
  constexpr std::int16_t half_q = (q + 1) / 2;  // Decompress_1(1)
  for (int i = 0; i < n / 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      const auto bit = static_cast<std::int16_t>((message[i] >> j) & 1);
      p.c[8 * i + j] = static_cast<std::int16_t>(-bit & half_q);
    }
  }
}

void poly_to_message(Bytes8 message, const Poly& p) noexcept {
  for (int i = 0; i < n / 8; ++i) {
    std::uint8_t byte = 0;
    for (int j = 0; j < 8; ++j) {
      const auto c = static_cast<std::uint32_t>(to_nonnegative(p.c[8 * i + j]));
      byte = static_cast<std::uint8_t>(byte | (compress(c, 1) << j));
    }
    message[i] = byte;
  }
}

void poly_sample_cbd2(Poly& p, ConstBytes8 prf_output) noexcept {
  for (int i = 0; i < n / 8; ++i) {
    const std::uint32_t t = static_cast<std::uint32_t>(prf_output[4 * i]) |
                            static_cast<std::uint32_t>(prf_output[4 * i + 1]) << 8 |
                            static_cast<std::uint32_t>(prf_output[4 * i + 2]) << 16 |
                            static_cast<std::uint32_t>(prf_output[4 * i + 3]) << 24;
    // Each 2-bit lane of d holds the sum of two adjacent bits of t.
    const std::uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
    for (int j = 0; j < 8; ++j) {
      const auto x = static_cast<std::int16_t>((d >> (4 * j)) & 3);
      const auto y = static_cast<std::int16_t>((d >> (4 * j + 2)) & 3);
      p.c[8 * i + j] = static_cast<std::int16_t>(x - y);
    }
  }
}

std::size_t poly_sample_ntt_from(Poly& p, ConstBytes8 stream) noexcept {
  std::size_t filled = 0;
  for (std::size_t i = 0; i + 3 <= stream.size() && filled < n; i += 3) {
    const unsigned b0 = stream[i], b1 = stream[i + 1], b2 = stream[i + 2];
    const unsigned d1 = b0 | ((b1 & 0x0f) << 8);
    const unsigned d2 = (b1 >> 4) | (b2 << 4);
    if (d1 < static_cast<unsigned>(q)) p.c[filled++] = static_cast<std::int16_t>(d1);
    if (d2 < static_cast<unsigned>(q) && filled < n) p.c[filled++] = static_cast<std::int16_t>(d2);
  }
  return filled;
}

}  // namespace bulwark::crypto::mlkem
