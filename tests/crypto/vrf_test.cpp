// ECVRF-EDWARDS25519-SHA512-TAI and -ELL2 (crypto/vrf.h) against RFC 9381 Appendix B.3
// (Examples 16-18) and B.4 (Examples 19-21) and all 12 derived negative cases in
// ../shared/vectors/vrf/, each under its own suite; plus tampering, key validation, cross-suite
// refusal and vrf_output == verified beta. Intermediates (x, H, k, U, V) are in
// vrf_internals_test.cpp.
#include "crypto/vrf.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;
using bulwark::testing::load_json;
using bulwark::testing::shared_vector_path;
using nlohmann::json;

json tai_suite() {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  const json& suite = file.at("suites").at(0);
  EXPECT_EQ(suite.at("suite_string").get<std::string>(), "03");
  return suite;
}

std::vector<json> tai_negative_cases() {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  std::vector<json> cases;
  for (const json& c : file.at("negative_cases")) {
    if (c.at("suite_string").get<std::string>() == "03") cases.push_back(c);
  }
  return cases;
}

json ell2_suite() {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  const json& suite = file.at("suites").at(1);
  EXPECT_EQ(suite.at("suite_string").get<std::string>(), "04");
  return suite;
}

// The suite a vector file's suite_string names ("03" or "04").
VrfSuite suite_named(const std::string& suite_string) {
  EXPECT_TRUE(suite_string == "03" || suite_string == "04") << suite_string;
  return suite_string == "04" ? VrfSuite::edwards25519_sha512_ell2
                              : VrfSuite::edwards25519_sha512_tai;
}

constexpr VrfSuite tai = VrfSuite::edwards25519_sha512_tai;
constexpr VrfSuite ell2 = VrfSuite::edwards25519_sha512_ell2;

VrfSecretKey key_from_hex(const std::string& seed) {
  auto key = VrfSecretKey::from_seed(hex(seed));
  EXPECT_TRUE(key.has_value());
  return std::move(*key);
}

VrfSecretKey key_from_counter(std::uint8_t n) {
  Bytes seed(vrf_seed_bytes);
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::byte>(n * 31 + i * 7);
  auto key = VrfSecretKey::from_seed(seed);
  EXPECT_TRUE(key.has_value());
  return std::move(*key);
}

TEST(VrfTest, TaiVectorsProveVerifyAndHashAsRfc9381Says) {
  const json suite = tai_suite();
  ASSERT_EQ(suite.at("vectors").size(), 3u);
  for (const json& v : suite.at("vectors")) {
    SCOPED_TRACE("example " + std::to_string(v.at("example").get<int>()));
    const VrfSecretKey secret = key_from_hex(v.at("sk"));
    EXPECT_EQ(to_hex(secret.public_key().bytes()), v.at("pk").get<std::string>());
    const Bytes alpha = hex(v.at("alpha").get<std::string>());
    const VrfProof proof = vrf_prove(secret, alpha);
    EXPECT_EQ(to_hex(proof), v.at("pi").get<std::string>());
    EXPECT_EQ(to_hex(vrf_output(secret, alpha)), v.at("beta").get<std::string>());

    auto key = VrfPublicKey::from_bytes(hex(v.at("pk").get<std::string>()));
    ASSERT_TRUE(key.has_value());
    auto beta = vrf_verify(*key, alpha, hex(v.at("pi").get<std::string>()));
    ASSERT_TRUE(beta.has_value()) << beta.error().describe();
    EXPECT_EQ(to_hex(*beta), v.at("beta").get<std::string>());
  }
}

TEST(VrfTest, EveryTaiNegativeCaseIsRejected) {
  const std::vector<json> cases = tai_negative_cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const json& c : cases) {
    SCOPED_TRACE(c.at("desc").get<std::string>());
    ASSERT_EQ(c.at("expected").get<std::string>(), "INVALID");
    auto key = VrfPublicKey::from_bytes(hex(c.at("pk").get<std::string>()));
    ASSERT_TRUE(key.has_value());
    auto beta = vrf_verify(*key, hex(c.at("alpha").get<std::string>()),
                           hex(c.at("pi").get<std::string>()));
    ASSERT_FALSE(beta.has_value());
    EXPECT_EQ(beta.error().code, Errc::auth_failed);
  }
}

TEST(VrfTest, FlippingAnyBitOfTheProofIsRejected) {
  const VrfSecretKey secret = key_from_counter(1);
  const Bytes alpha = to_bytes(as_bytes("alice@example.org"));
  const VrfProof proof = vrf_prove(secret, alpha);
  ASSERT_TRUE(vrf_verify(secret.public_key(), alpha, proof).has_value());
  for (std::size_t i = 0; i < proof.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      VrfProof bad = proof;
      bad[i] ^= static_cast<std::byte>(1 << bit);
      auto result = vrf_verify(secret.public_key(), alpha, bad);
      ASSERT_FALSE(result.has_value()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(result.error().code, Errc::auth_failed);
    }
  }
}

TEST(VrfTest, ProofFailsForAnotherAlphaOrAnotherKey) {
  const VrfSecretKey secret = key_from_counter(2);
  const VrfSecretKey other = key_from_counter(3);
  const Bytes alpha = to_bytes(as_bytes("label"));
  const VrfProof proof = vrf_prove(secret, alpha);
  EXPECT_FALSE(vrf_verify(secret.public_key(), as_bytes("label2"), proof).has_value());
  EXPECT_FALSE(vrf_verify(secret.public_key(), as_bytes(""), proof).has_value());
  EXPECT_FALSE(vrf_verify(other.public_key(), alpha, proof).has_value());
}

TEST(VrfTest, ProofOfTheWrongLengthIsAnAuthenticationFailure) {
  const VrfSecretKey secret = key_from_counter(4);
  const VrfProof proof = vrf_prove(secret, as_bytes("x"));
  for (std::size_t size : {std::size_t{0}, std::size_t{79}, std::size_t{81}}) {
    Bytes resized(proof.begin(), proof.end());
    resized.resize(size);
    auto result = vrf_verify(secret.public_key(), as_bytes("x"), resized);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::auth_failed);
  }
}

TEST(VrfTest, SmallOrderPublicKeysAreRefused) {
  // The identity, the point of order 2, both of order 4 and two of order 8 (with sign variants).
  for (const char* encoding : {
           "0100000000000000000000000000000000000000000000000000000000000000",
           "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
           "0000000000000000000000000000000000000000000000000000000000000000",
           "0000000000000000000000000000000000000000000000000000000000000080",
           "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
           "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
           "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
           "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"}) {
    SCOPED_TRACE(encoding);
    auto key = VrfPublicKey::from_bytes(hex(encoding));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, Errc::weak_key);
  }
}

TEST(VrfTest, NonCanonicalAndOffCurvePublicKeysAreRefused) {
  for (const char* encoding : {
           // y = p (= 0 mod p), y = p + 1 (the identity's second encoding), y = 2^255 - 1.
           "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
           "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
           "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
           // y = -1 with the sign bit set: x = 0 has no negative, RFC 8032 says fail.
           "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
           // y = 1 with the sign bit set (the identity, "negative").
           "0100000000000000000000000000000000000000000000000000000000000080",
           // y = 2: (y^2 - 1) / (d y^2 + 1) is not a square, so no x.
           "0200000000000000000000000000000000000000000000000000000000000000"}) {
    SCOPED_TRACE(encoding);
    auto key = VrfPublicKey::from_bytes(hex(encoding));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, Errc::invalid_encoding);
  }
  EXPECT_EQ(VrfPublicKey::from_bytes(Bytes(31)).error().code, Errc::invalid_length);
  EXPECT_EQ(VrfPublicKey::from_bytes(Bytes(33)).error().code, Errc::invalid_length);
}

TEST(VrfTest, KeyWithATorsionComponentIsValidAsRfc9381Says) {
  // B + T8: on the curve, canonical and not of small order, so ECVRF_validate_key accepts it
  // (only cofactor * Y = identity is refused). No honest key looks like this.
  EXPECT_TRUE(VrfPublicKey::from_bytes(
                  hex("da99e28ba529cdde35a25fba9059e78ecaee239f99755b9b1aa4f65df00803e2"))
                  .has_value());
}

TEST(VrfTest, OutputEqualsTheVerifiedBetaForManyKeysAndLabels) {
  for (std::uint8_t n = 0; n < 24; ++n) {
    const VrfSecretKey secret = key_from_counter(static_cast<std::uint8_t>(100 + n));
    const std::string alpha = "label-" + std::to_string(n * n);
    const VrfProof proof = vrf_prove(secret, as_bytes(alpha));
    auto key = VrfPublicKey::from_bytes(secret.public_key().bytes());
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(*key, secret.public_key());
    auto beta = vrf_verify(*key, as_bytes(alpha), proof);
    ASSERT_TRUE(beta.has_value()) << "key " << int{n};
    EXPECT_EQ(*beta, vrf_output(secret, as_bytes(alpha)));
  }
}

TEST(VrfTest, Ell2VectorsProveVerifyAndHashAsRfc9381Says) {
  const json suite = ell2_suite();
  ASSERT_EQ(suite.at("vectors").size(), 3u);
  for (const json& v : suite.at("vectors")) {
    SCOPED_TRACE("example " + std::to_string(v.at("example").get<int>()));
    const VrfSecretKey secret = key_from_hex(v.at("sk"));
    EXPECT_EQ(to_hex(secret.public_key().bytes()), v.at("pk").get<std::string>());
    const Bytes alpha = hex(v.at("alpha").get<std::string>());
    EXPECT_EQ(to_hex(vrf_prove(secret, alpha, ell2)), v.at("pi").get<std::string>());
    EXPECT_EQ(to_hex(vrf_output(secret, alpha, ell2)), v.at("beta").get<std::string>());

    auto key = VrfPublicKey::from_bytes(hex(v.at("pk").get<std::string>()));
    ASSERT_TRUE(key.has_value());
    auto beta = vrf_verify(*key, alpha, hex(v.at("pi").get<std::string>()), ell2);
    ASSERT_TRUE(beta.has_value()) << beta.error().describe();
    EXPECT_EQ(to_hex(*beta), v.at("beta").get<std::string>());
  }
}

TEST(VrfTest, EveryNegativeCaseIsRejectedUnderItsOwnSuite) {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  ASSERT_EQ(file.at("negative_cases").size(), 12u);
  int per_suite[2] = {0, 0};
  for (const json& c : file.at("negative_cases")) {
    SCOPED_TRACE(c.at("suite_string").get<std::string>() + ": " + c.at("desc").get<std::string>());
    ASSERT_EQ(c.at("expected").get<std::string>(), "INVALID");
    const VrfSuite suite = suite_named(c.at("suite_string"));
    ++per_suite[suite == ell2 ? 1 : 0];
    auto key = VrfPublicKey::from_bytes(hex(c.at("pk").get<std::string>()));
    ASSERT_TRUE(key.has_value());
    auto beta = vrf_verify(*key, hex(c.at("alpha").get<std::string>()),
                           hex(c.at("pi").get<std::string>()), suite);
    ASSERT_FALSE(beta.has_value());
    EXPECT_EQ(beta.error().code, Errc::auth_failed);
  }
  EXPECT_EQ(per_suite[0], 6);
  EXPECT_EQ(per_suite[1], 6);
}

TEST(VrfTest, RfcProofOfOneSuiteDoesNotVerifyUnderTheOther) {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  for (const json& suite : file.at("suites")) {
    const VrfSuite own = suite_named(suite.at("suite_string"));
    const VrfSuite other = own == tai ? ell2 : tai;
    for (const json& v : suite.at("vectors")) {
      SCOPED_TRACE("example " + std::to_string(v.at("example").get<int>()));
      auto key = VrfPublicKey::from_bytes(hex(v.at("pk").get<std::string>()));
      ASSERT_TRUE(key.has_value());
      const Bytes alpha = hex(v.at("alpha").get<std::string>());
      const Bytes pi = hex(v.at("pi").get<std::string>());
      EXPECT_TRUE(vrf_verify(*key, alpha, pi, own).has_value());
      auto crossed = vrf_verify(*key, alpha, pi, other);
      ASSERT_FALSE(crossed.has_value());
      EXPECT_EQ(crossed.error().code, Errc::auth_failed);
    }
  }
}

TEST(VrfTest, SuitesGiveUnrelatedProofsAndOutputsAndRefuseEachOther) {
  for (std::uint8_t n = 0; n < 8; ++n) {
    const VrfSecretKey secret = key_from_counter(static_cast<std::uint8_t>(200 + n));
    const std::string alpha = "cross-" + std::to_string(n);
    const VrfProof tai_proof = vrf_prove(secret, as_bytes(alpha), tai);
    const VrfProof ell2_proof = vrf_prove(secret, as_bytes(alpha), ell2);
    EXPECT_NE(tai_proof, ell2_proof);
    EXPECT_NE(vrf_output(secret, as_bytes(alpha), tai), vrf_output(secret, as_bytes(alpha), ell2));
    EXPECT_FALSE(vrf_verify(secret.public_key(), as_bytes(alpha), tai_proof, ell2).has_value());
    EXPECT_FALSE(vrf_verify(secret.public_key(), as_bytes(alpha), ell2_proof, tai).has_value());
  }
}

TEST(VrfTest, TaiIsTheDefaultSuite) {
  const VrfSecretKey secret = key_from_counter(5);
  const Bytes alpha = to_bytes(as_bytes("default"));
  const VrfProof proof = vrf_prove(secret, alpha);
  EXPECT_EQ(proof, vrf_prove(secret, alpha, tai));
  EXPECT_EQ(vrf_output(secret, alpha), vrf_output(secret, alpha, tai));
  auto beta = vrf_verify(secret.public_key(), alpha, proof, tai);
  ASSERT_TRUE(beta.has_value());
  EXPECT_EQ(*beta, vrf_output(secret, alpha));
}

TEST(VrfTest, FlippingAnyBitOfAnEll2ProofIsRejected) {
  const VrfSecretKey secret = key_from_counter(6);
  const Bytes alpha = to_bytes(as_bytes("bob@example.org"));
  const VrfProof proof = vrf_prove(secret, alpha, ell2);
  ASSERT_TRUE(vrf_verify(secret.public_key(), alpha, proof, ell2).has_value());
  for (std::size_t i = 0; i < proof.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      VrfProof bad = proof;
      bad[i] ^= static_cast<std::byte>(1 << bit);
      auto result = vrf_verify(secret.public_key(), alpha, bad, ell2);
      ASSERT_FALSE(result.has_value()) << "byte " << i << " bit " << bit;
      EXPECT_EQ(result.error().code, Errc::auth_failed);
    }
  }
}

TEST(VrfTest, Ell2OutputEqualsTheVerifiedBetaForManyKeysAndLabels) {
  for (std::uint8_t n = 0; n < 24; ++n) {
    const VrfSecretKey secret = key_from_counter(static_cast<std::uint8_t>(150 + n));
    const std::string alpha = "label-" + std::to_string(n * n);
    const VrfProof proof = vrf_prove(secret, as_bytes(alpha), ell2);
    auto beta = vrf_verify(secret.public_key(), as_bytes(alpha), proof, ell2);
    ASSERT_TRUE(beta.has_value()) << "key " << int{n};
    EXPECT_EQ(*beta, vrf_output(secret, as_bytes(alpha), ell2));
    EXPECT_FALSE(vrf_verify(secret.public_key(), as_bytes(alpha + "!"), proof, ell2).has_value());
  }
}

TEST(VrfTest, UnknownSuiteIsAContractViolation) {
  const VrfSecretKey secret = key_from_counter(7);
  EXPECT_DEATH((void)vrf_prove(secret, as_bytes("x"), static_cast<VrfSuite>(5)),
               "contract violation");
}

TEST(VrfTest, SeedOfTheWrongLengthIsRefused) {
  EXPECT_EQ(VrfSecretKey::from_seed(Bytes(31)).error().code, Errc::invalid_length);
  EXPECT_EQ(VrfSecretKey::from_seed(Bytes(33)).error().code, Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark::crypto
