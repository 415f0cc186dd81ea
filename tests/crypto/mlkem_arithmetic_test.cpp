// ML-KEM's arithmetic against plain definitions: Montgomery and Barrett reduction, the
// division-free Compress_d (exhaustively, for every input and every d ML-KEM uses), and the
// NTT, whose product must equal schoolbook multiplication in Z_q[X]/(X^256 + 1).
#include <gtest/gtest.h>

#include <array>

#include "crypto/mlkem/field.h"
#include "crypto/mlkem/ntt.h"
#include "crypto/mlkem/poly.h"
#include "support/seeded_rng.h"

namespace bulwark::crypto::mlkem {
namespace {

int mod_q(long long x) { return static_cast<int>(((x % q) + q) % q); }

TEST(MlKemFieldTest, MontgomeryReduceMultipliesByInverseOfTwoToThe16) {
  // 2^16 * 169 = 1 mod 3329, so montgomery_reduce(a) = 169 * a mod q.
  for (std::int32_t a = -q * 32768 + 1; a < q * 32768; a += 9973) {
    const std::int16_t r = montgomery_reduce(a);
    EXPECT_GT(r, -q);
    EXPECT_LT(r, q);
    EXPECT_EQ(mod_q(r), mod_q(169LL * a)) << a;
  }
}

TEST(MlKemFieldTest, FqmulEqualsMontgomeryReduceOfTheProduct) {
  testing::SeededRng rng(1);
  for (int i = 0; i < 100000; ++i) {
    const auto a = static_cast<std::int16_t>(rng.next() % 8191) - 4095;
    const auto b = static_cast<std::int16_t>(rng.next() % 3329) - 1664;
    EXPECT_EQ(fqmul(static_cast<std::int16_t>(a), static_cast<std::int16_t>(b)),
              montgomery_reduce(a * b));
  }
}

TEST(MlKemFieldTest, BarrettReduceGivesTheCentredRepresentative) {
  for (int a = -32768; a <= 32767; ++a) {
    const std::int16_t r = barrett_reduce(static_cast<std::int16_t>(a));
    EXPECT_GE(r, -(q - 1) / 2);
    EXPECT_LE(r, (q - 1) / 2);
    ASSERT_EQ(mod_q(r), mod_q(a)) << a;
  }
}

TEST(MlKemFieldTest, CompressMatchesExactRoundingForEveryInput) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (std::uint32_t x = 0; x < static_cast<std::uint32_t>(q); ++x) {
      // round(2^d * x / q) mod 2^d with exact integer arithmetic (q is odd: no ties).
      const std::uint32_t exact = (((x << d) * 2 + q) / (2 * q)) % (1u << d);
      ASSERT_EQ(compress(x, d), exact) << "d=" << d << " x=" << x;
    }
  }
}

TEST(MlKemFieldTest, DecompressThenCompressIsTheIdentity) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (std::uint32_t y = 0; y < (1u << d); ++y) {
      ASSERT_EQ(compress(static_cast<std::uint32_t>(decompress(y, d)), d), y) << d;
    }
  }
}

TEST(MlKemNttTest, ZetasAreSeventeenToTheBitReversedPowers) {
  // zetas[1] = 17^64 (BitRev7(1) = 64) in Montgomery form.
  long long z = 1;
  for (int i = 0; i < 64; ++i) z = z * 17 % q;
  EXPECT_EQ(mod_q(zetas()[1]), mod_q(z * 65536));
}

Poly random_poly(testing::SeededRng& rng) {
  Poly p;
  for (auto& c : p.c) c = static_cast<std::int16_t>(static_cast<int>(rng.next() % q) - q / 2);
  return p;
}

TEST(MlKemNttTest, ProductInNttDomainEqualsSchoolbookProduct) {
  testing::SeededRng rng(7);
  for (int trial = 0; trial < 5; ++trial) {
    const Poly a = random_poly(rng), b = random_poly(rng);
    std::array<long long, 256> expected{};
    for (int i = 0; i < 256; ++i) {
      for (int j = 0; j < 256; ++j) {
        const long long term = static_cast<long long>(a.c[i]) * b.c[j];
        if (i + j < 256) expected[i + j] += term; else expected[i + j - 256] -= term;  // X^256 = -1
      }
    }
    Poly x = a, y = b, product;
    poly_ntt(x);
    poly_ntt(y);
    poly_multiply_accumulate(product, x, y);  // product starts at zero
    poly_reduce(product);
    poly_inverse_ntt_to_montgomery(product);  // the 2^16 cancels the product's 2^-16
    for (int i = 0; i < 256; ++i) ASSERT_EQ(mod_q(product.c[i]), mod_q(expected[i])) << i;
  }
}

#if defined(__SSE2__)
// The SSE2 transforms must agree with the portable ones exactly, on every coefficient,
// including at the edges of their input ranges.
TEST(MlKemNttTest, Sse2TransformsEqualThePortableOnes) {
  testing::SeededRng rng(8);
  for (int trial = 0; trial < 200; ++trial) {
    Poly a = random_poly(rng), b = random_poly(rng);
    if (trial == 0) a.c.fill(q - 1), b.c.fill(-(q - 1));
    Coefficients x = a.c, y = a.c;
    portable::ntt(x);
    sse2::ntt(y);
    ASSERT_EQ(x, y) << "forward, trial " << trial;
    Coefficients px = b.c, py = b.c;  // accumulate onto a non-zero start
    portable::multiply_accumulate_ntt_montgomery(px, a.c, b.c);
    sse2::multiply_accumulate_ntt_montgomery(py, a.c, b.c);
    ASSERT_EQ(px, py) << "product, trial " << trial;
    x = a.c;
    y = a.c;
    portable::inverse_ntt_to_montgomery(x);
    sse2::inverse_ntt_to_montgomery(y);
    ASSERT_EQ(x, y) << "inverse, trial " << trial;
  }
  Coefficients all{}, copy{};
  for (int start = -32768; start < 32768; start += n) {  // every int16 value through reduce
    for (int i = 0; i < n; ++i) all[i] = static_cast<std::int16_t>(start + i);
    copy = all;
    portable::reduce(all);
    sse2::reduce(copy);
    ASSERT_EQ(all, copy) << "reduce, from " << start;
  }
}
#endif

TEST(MlKemPolyTest, Encode12RoundTripsReducedPolynomials) {
  testing::SeededRng rng(3);
  const Poly p = random_poly(rng);
  std::array<std::uint8_t, poly_bytes> bytes{};
  poly_encode12(bytes, p);
  EXPECT_TRUE(encode12_is_reduced(bytes));
  Poly back;
  poly_decode12(back, bytes);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(back.c[i], mod_q(p.c[i]));
}

TEST(MlKemPolyTest, ModulusCheckRejectsAnyCoefficientAtOrAboveQ) {
  std::array<std::uint8_t, poly_bytes> bytes{};
  EXPECT_TRUE(encode12_is_reduced(bytes));
  bytes[0] = 0x01;  // first coefficient = 0xd01 = 3329 = q
  bytes[1] = 0x0d;
  EXPECT_FALSE(encode12_is_reduced(bytes));
  bytes[0] = 0x00;  // first coefficient = 0xd00 = 3328 = q - 1: fine
  EXPECT_TRUE(encode12_is_reduced(bytes));
}

TEST(MlKemPolyTest, MessageRoundTripsThroughDecompressAndCompress) {
  std::array<std::uint8_t, 32> message{}, back{};
  for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<std::uint8_t>(i * 37 + 5);
  Poly p;
  poly_from_message(p, message);
  poly_to_message(back, p);
  EXPECT_EQ(back, message);
}

TEST(MlKemPolyTest, CbdCoefficientsStayWithinEta) {
  std::array<std::uint8_t, 128> prf{};
  for (std::size_t i = 0; i < prf.size(); ++i) prf[i] = static_cast<std::uint8_t>(i * 113);
  Poly p;
  poly_sample_cbd2(p, prf);
  for (auto c : p.c) {
    EXPECT_GE(c, -2);
    EXPECT_LE(c, 2);
  }
  prf.fill(0xff);  // every bit set: x = y = 2 everywhere
  poly_sample_cbd2(p, prf);
  for (auto c : p.c) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace bulwark::crypto::mlkem
