// The steps of ECVRF-EDWARDS25519-SHA512-TAI and -ELL2 (crypto/detail/vrf_internals.h) against
// every intermediate of RFC 9381 Appendix B.3 (x, H and its counter, k, U, V) and B.4 (x, H,
// k, U, V, with H from the RFC 9380 hash to curve), and the properties of
// crypto/detail/edwards25519.h the VRF relies on: try-and-increment candidates outside the
// prime-order subgroup are accepted and cofactor-cleared (libsodium 1.0.18 refuses them, which
// is why we do not use its point API there), and RFC 8032 decoding is strict.
#include <sodium.h>

#include <string>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/detail/edwards25519.h"
#include "crypto/detail/hash_to_curve.h"
#include "crypto/detail/vrf_internals.h"
#include "crypto/hash.h"
#include "crypto/vrf.h"
#include "support/vectors.h"

namespace bulwark::crypto::detail {
namespace {

using bulwark::testing::hex;
using bulwark::testing::load_json;
using bulwark::testing::shared_vector_path;
using nlohmann::json;

EdBytes ed_bytes(const std::string& text) {
  const Bytes bytes = hex(text);
  EdBytes out{};
  EXPECT_EQ(bytes.size(), out.size());
  std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  return out;
}

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const std::string group_order = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

// The first try-and-increment candidate string of RFC 9381 Example 17 that decodes (ctr = 1).
EdBytes example_17_candidate() {
  const Bytes pk = hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  const Bytes tail = hex("72" "01" "00");  // alpha || ctr || 0x00
  const Bytes prefix = hex("0301");
  const Sha512Digest digest = sha512({prefix, pk, tail});
  EdBytes out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

TEST(VrfInternalsTest, EveryTaiIntermediateMatchesRfc9381) {
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  for (const json& v : file.at("suites").at(0).at("vectors")) {
    SCOPED_TRACE("example " + std::to_string(v.at("example").get<int>()));
    auto secret = VrfSecretKey::from_seed(hex(v.at("sk").get<std::string>()));
    ASSERT_TRUE(secret.has_value());
    EXPECT_EQ(to_hex(secret->expanded().view().first(32)), v.at("x").get<std::string>());

    const Bytes alpha = hex(v.at("alpha").get<std::string>());
    const auto encoded = vrf_encode_to_curve_tai(secret->public_key().bytes(), alpha);
    ASSERT_TRUE(encoded.has_value());
    EXPECT_EQ(to_hex(edwards_encode(encoded->point)), v.at("H").get<std::string>());
    EXPECT_EQ(encoded->ctr, v.at("try_and_increment_ctr").get<unsigned>());

    VrfProofTrace trace;
    const VrfProof proof = vrf_prove_traced(*secret, alpha, &trace);
    EXPECT_EQ(to_hex(trace.h), v.at("H").get<std::string>());
    EXPECT_EQ(to_hex(trace.k), v.at("k").get<std::string>());
    EXPECT_EQ(to_hex(trace.u), v.at("U").get<std::string>());
    EXPECT_EQ(to_hex(trace.v), v.at("V").get<std::string>());
    EXPECT_EQ(to_hex(proof), v.at("pi").get<std::string>());
    const SecretBytes k = vrf_nonce(secret->expanded().view().subspan(32), trace.h);
    EXPECT_EQ(to_hex(k.view()), v.at("k").get<std::string>());
    const auto c = vrf_challenge(secret->public_key().bytes(), trace.h, trace.gamma, trace.u,
                                 trace.v);
    EXPECT_EQ(to_hex(c), v.at("pi").get<std::string>().substr(64, 32));
  }
}

TEST(VrfInternalsTest, EveryEll2IntermediateMatchesRfc9381) {
  constexpr VrfSuite ell2 = VrfSuite::edwards25519_sha512_ell2;
  const json file = load_json(shared_vector_path("vrf/rfc9381_ecvrf_edwards25519.json"));
  const json& suite = file.at("suites").at(1);
  ASSERT_EQ(suite.at("suite_string").get<std::string>(), "04");
  for (const json& v : suite.at("vectors")) {
    SCOPED_TRACE("example " + std::to_string(v.at("example").get<int>()));
    auto secret = VrfSecretKey::from_seed(hex(v.at("sk").get<std::string>()));
    ASSERT_TRUE(secret.has_value());
    EXPECT_EQ(to_hex(secret->expanded().view().first(32)), v.at("x").get<std::string>());

    const Bytes alpha = hex(v.at("alpha").get<std::string>());
    const EdPoint h = vrf_encode_to_curve_ell2(secret->public_key().bytes(), alpha);
    EXPECT_EQ(to_hex(edwards_encode(h)), v.at("H").get<std::string>());
    // The same H through RFC 9380's encode_to_curve with RFC 9381's DST and salt spelled out.
    const Bytes dst = concat({as_bytes("ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_"), hex("04")});
    const Bytes msg = concat({secret->public_key().bytes(), alpha});
    EXPECT_EQ(to_hex(edwards_encode(encode_to_curve_edwards25519_ell2(msg, dst))),
              v.at("H").get<std::string>());

    VrfProofTrace trace;
    const VrfProof proof = vrf_prove_traced(*secret, alpha, &trace, ell2);
    EXPECT_EQ(to_hex(trace.h), v.at("H").get<std::string>());
    EXPECT_EQ(to_hex(trace.k), v.at("k").get<std::string>());
    EXPECT_EQ(to_hex(trace.u), v.at("U").get<std::string>());
    EXPECT_EQ(to_hex(trace.v), v.at("V").get<std::string>());
    EXPECT_EQ(to_hex(trace.gamma), v.at("pi").get<std::string>().substr(0, 64));
    EXPECT_EQ(to_hex(proof), v.at("pi").get<std::string>());
    const auto c = vrf_challenge(secret->public_key().bytes(), trace.h, trace.gamma, trace.u,
                                 trace.v, ell2);
    EXPECT_EQ(to_hex(c), v.at("pi").get<std::string>().substr(64, 32));
  }
}

TEST(VrfInternalsTest, CandidateOutsideThePrimeOrderSubgroupIsClearedToTheRfcH) {
  const auto candidate = edwards_decode(example_17_candidate());
  ASSERT_TRUE(candidate.has_value());
  // L * candidate is not the identity: the candidate has a torsion component.
  EXPECT_FALSE(edwards_is_identity(edwards_scalarmult(ed_bytes(group_order), *candidate)));
  EXPECT_EQ(to_hex(edwards_encode(edwards_mul_by_cofactor(*candidate))),
            "5b659fc3d4e9263fd9a4ed1d022d75eaacc20df5e09f9ea937502396598dc551");
}

TEST(VrfInternalsTest, LibsodiumPointApiRefusesTheSameMixedOrderCandidate) {
  // Why detail/edwards25519 exists: libsodium 1.0.18 rejects points with a torsion component
  // in both is_valid_point and noclamp scalar multiplication, so it cannot clear the cofactor
  // of a try-and-increment candidate. If a newer libsodium changes this, this test says so.
  ASSERT_GE(sodium_init(), 0);
  const EdBytes candidate = example_17_candidate();
  const auto* c = reinterpret_cast<const unsigned char*>(candidate.data());
  EXPECT_EQ(crypto_core_ed25519_is_valid_point(c), 0);
  unsigned char eight[32] = {8};
  unsigned char out[32];
  EXPECT_EQ(crypto_scalarmult_ed25519_noclamp(out, eight, c), -1);
}

TEST(VrfInternalsTest, GroupArithmeticAgreesWithLibsodiumOnTheSubgroup) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char scalar[32];
  unsigned char expected[32];
  for (int i = 0; i < 16; ++i) {
    crypto_core_ed25519_scalar_random(scalar);
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(expected, scalar), 0);
    EdBytes s{};
    std::copy_n(reinterpret_cast<const std::byte*>(scalar), 32, s.begin());
    const EdBytes ours = edwards_encode(edwards_scalarmult(s, edwards_base_point()));
    EXPECT_EQ(to_hex(ours), to_hex(ByteView(reinterpret_cast<std::byte*>(expected), 32)));
    const EdBytes zero{};
    const EdBytes vartime = edwards_encode(
        edwards_double_scalarmult_vartime(s, edwards_base_point(), zero, edwards_identity()));
    EXPECT_EQ(vartime, ours);
  }
}

TEST(VrfInternalsTest, ScalarTimesGroupOrderIsTheIdentityForSubgroupPoints) {
  EXPECT_TRUE(edwards_is_identity(edwards_scalarmult(ed_bytes(group_order), edwards_base_point())));
  const EdBytes zero{};
  EXPECT_TRUE(edwards_is_identity(edwards_scalarmult(zero, edwards_base_point())));
  EXPECT_EQ(to_hex(edwards_encode(edwards_identity())),
            "0100000000000000000000000000000000000000000000000000000000000000");
}

TEST(VrfInternalsTest, DecodingIsStrictRfc8032) {
  // p itself, p + 1 and 2^255 - 1 are non-canonical encodings of 0, 1 and 18.
  EXPECT_FALSE(edwards_decode(ed_bytes(
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
  EXPECT_FALSE(edwards_decode(ed_bytes(
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
  // x = 0 with the sign bit set.
  EXPECT_FALSE(edwards_decode(ed_bytes(
      "0100000000000000000000000000000000000000000000000000000000000080")));
  // Small-order points do decode (the VRF refuses them one level up).
  const auto order_8 =
      edwards_decode(ed_bytes("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
  ASSERT_TRUE(order_8.has_value());
  EXPECT_TRUE(edwards_is_identity(edwards_mul_by_cofactor(*order_8)));
  EXPECT_EQ(to_hex(edwards_encode(*order_8)),
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
}

}  // namespace
}  // namespace bulwark::crypto::detail
