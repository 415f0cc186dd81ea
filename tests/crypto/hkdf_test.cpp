// Known-answer tests for HKDF-SHA256 (RFC 5869 Appendix A, the three SHA-256 cases) and its
// documented preconditions.
//
// Vectors transcribed from pyca/cryptography
// vectors/cryptography_vectors/KDF/rfc-5869-HKDF-SHA256.txt (a copy of RFC 5869 A.1-A.3).
#include <cstddef>
#include <string>
#include <string_view>

#include <array>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

struct HkdfVector {
  std::string_view ikm;
  std::string_view salt;
  std::string_view info;
  std::size_t length;
  std::string_view prk;
  std::string_view okm;
};

// RFC 5869 A.1, Test Case 1: basic test case with SHA-256.
constexpr HkdfVector case_1{
    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    "000102030405060708090a0b0c",
    "f0f1f2f3f4f5f6f7f8f9",
    42,
    "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"};

// RFC 5869 A.2, Test Case 2: longer inputs and outputs.
constexpr HkdfVector case_2{
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f",
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
    "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    82,
    "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
    "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
    "cc30c58179ec3e87c14c01d5c1f3434f1d87"};

// RFC 5869 A.3, Test Case 3: zero-length salt and info (salt defaults to 32 zero bytes).
constexpr HkdfVector case_3{
    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    "",
    "",
    42,
    "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
    "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"};

// Extract, expand and the one-shot call each reproduce the published PRK and OKM.
void expect_case_holds(const HkdfVector& vector) {
  const Bytes ikm = hex(vector.ikm);
  const Bytes salt = hex(vector.salt);
  const Bytes info = hex(vector.info);

  auto prk = hkdf_sha256_extract(salt, ikm);
  ASSERT_TRUE(prk);
  EXPECT_EQ(to_hex(prk->view()), vector.prk);

  auto expanded = hkdf_sha256_expand(hex(vector.prk), info, vector.length);
  ASSERT_TRUE(expanded);
  EXPECT_EQ(to_hex(expanded->view()), vector.okm);

  auto okm = hkdf_sha256(ikm, salt, info, vector.length);
  ASSERT_TRUE(okm);
  EXPECT_EQ(to_hex(okm->view()), vector.okm);
}

TEST(HkdfTest, Rfc5869Case1MatchesExpectedOkm) { expect_case_holds(case_1); }
TEST(HkdfTest, Rfc5869Case2MatchesExpectedOkm) { expect_case_holds(case_2); }
TEST(HkdfTest, Rfc5869Case3WithEmptySaltAndInfoMatchesExpectedOkm) {
  expect_case_holds(case_3);
}

// 255 * HashLen is the RFC 5869 §2.3 ceiling: the block counter is a single octet.
TEST(HkdfTest, MaximumLengthIsAcceptedAndOneMoreIsAnError) {
  const Bytes ikm = hex(case_1.ikm);
  auto longest = hkdf_sha256(ikm, {}, {}, hkdf_sha256_max_output_bytes);
  ASSERT_TRUE(longest);
  EXPECT_EQ(longest->size(), std::size_t{255 * 32});

  EXPECT_FALSE(hkdf_sha256(ikm, {}, {}, hkdf_sha256_max_output_bytes + 1));
  EXPECT_FALSE(hkdf_sha256_expand(hex(case_1.prk), {}, hkdf_sha256_max_output_bytes + 1));
}

// RFC 5869 §2.3 asks for a PRK of at least HashLen octets; a shorter one is a caller bug that
// must not silently produce key material.
TEST(HkdfTest, ExpandWithShortPrkIsAnError) {
  const Bytes prk = hex(case_1.prk);
  EXPECT_FALSE(hkdf_sha256_expand(ByteView(prk).first(31), {}, 32));
  EXPECT_FALSE(hkdf_sha256_expand({}, {}, 32));
  EXPECT_TRUE(hkdf_sha256_expand(prk, {}, 32));
}

// OpenSSL 3.0 caps info at 32 KiB; past it the caller gets a clear argument error, not an
// "internal" failure from the library.
TEST(HkdfTest, InfoAtTheLimitWorksAndLongerIsAnArgumentError) {
  const Bytes ikm = hex(case_1.ikm);
  const Bytes info(hkdf_sha256_max_info_bytes, std::byte{0x5a});
  auto okm = hkdf_sha256(ikm, {}, info, 32);
  ASSERT_TRUE(okm);
  // One block of RFC 5869 expansion by hand: T(1) = HMAC(PRK, info || 0x01).
  const auto prk = hkdf_sha256_extract({}, ikm);
  const std::array<std::byte, 1> counter{std::byte{0x01}};
  EXPECT_EQ(to_hex(okm->view()), to_hex(hmac_sha256(prk->view(), {info, counter})));
  auto too_long = hkdf_sha256(ikm, {}, Bytes(hkdf_sha256_max_info_bytes + 1), 32);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, Errc::invalid_argument);
}

// RFC 5869 allows an empty IKM (OpenSSL 3.0's HKDF does not; ours must).
TEST(HkdfTest, EmptyIkmExtractsToTheHmacOfNothing) {
  const Bytes salt(32, std::byte{0x0b});
  auto prk = hkdf_sha256_extract(salt, {});
  ASSERT_TRUE(prk);
  EXPECT_EQ(to_hex(prk->view()), to_hex(hmac_sha256(salt, ByteView{})));
  EXPECT_TRUE(hkdf_sha256({}, salt, as_bytes("info"), 42));
}

// An absent salt is HashLen zero bytes (RFC 5869 §2.2).
TEST(HkdfTest, EmptySaltEqualsThirtyTwoZeroBytes) {
  const Bytes ikm = hex(case_1.ikm);
  EXPECT_EQ(to_hex(hkdf_sha256_extract({}, ikm)->view()),
            to_hex(hkdf_sha256_extract(Bytes(32), ikm)->view()));
}

TEST(HkdfTest, ZeroLengthOutputIsAnError) {
  EXPECT_EQ(hkdf_sha256(hex(case_1.ikm), {}, {}, 0).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::crypto
