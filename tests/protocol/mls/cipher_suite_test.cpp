// MLS cipher suites: the official crypto-basics vectors (suites 1 and 3, every sub-object,
// exact bytes), and the edges they do not reach: unsupported ids, long KDF contexts,
// tampered signatures and ciphertexts.
#include "protocol/mls/cipher_suite.h"

#include <gtest/gtest.h>

#include "crypto/compare.h"
#include "protocol/mls/vector_suites.h"
#include "support/seeded_rng.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes basics_hex(const nlohmann::json& value) {
  return bulwark::testing::hex(value.get<std::string>());
}

Bytes basics_bytes(const Result<SecretBytes>& secret) {
  EXPECT_TRUE(secret) << secret.error().describe();
  return secret ? to_bytes(secret->view()) : Bytes{};
}

nlohmann::json basics_cases() {
  return bulwark::testing::load_json(
      bulwark::testing::shared_vector_path("mls/crypto-basics.json"));
}

void basics_check_derivations(const CipherSuite& suite, const nlohmann::json& item) {
  const auto& ref = item.at("ref_hash");
  const auto ref_out =
      suite.ref_hash(ref.at("label").get<std::string>(), basics_hex(ref.at("value")));
  ASSERT_TRUE(ref_out);
  EXPECT_EQ(*ref_out, basics_hex(ref.at("out"))) << "ref_hash";

  const auto& ewl = item.at("expand_with_label");
  EXPECT_EQ(basics_bytes(suite.expand_with_label(
                basics_hex(ewl.at("secret")), ewl.at("label").get<std::string>(),
                basics_hex(ewl.at("context")), ewl.at("length").get<std::uint16_t>())),
            basics_hex(ewl.at("out")))
      << "expand_with_label";

  const auto& ds = item.at("derive_secret");
  EXPECT_EQ(basics_bytes(suite.derive_secret(basics_hex(ds.at("secret")),
                                             ds.at("label").get<std::string>())),
            basics_hex(ds.at("out")))
      << "derive_secret";

  const auto& dts = item.at("derive_tree_secret");
  EXPECT_EQ(basics_bytes(suite.derive_tree_secret(
                basics_hex(dts.at("secret")), dts.at("label").get<std::string>(),
                dts.at("generation").get<std::uint32_t>(), dts.at("length").get<std::uint16_t>())),
            basics_hex(dts.at("out")))
      << "derive_tree_secret";
}

void basics_check_signature(const CipherSuite& suite, const nlohmann::json& sign) {
  const std::string label = sign.at("label").get<std::string>();
  const Bytes content = basics_hex(sign.at("content"));
  const Bytes pub = basics_hex(sign.at("pub"));
  const Bytes signature = basics_hex(sign.at("signature"));
  const auto verified = suite.verify_with_label(pub, label, content, signature);
  EXPECT_TRUE(verified) << verified.error().describe();

  const auto key = crypto::Ed25519SecretKey::from_seed(basics_hex(sign.at("priv")));
  ASSERT_TRUE(key);
  EXPECT_EQ(to_bytes(key->public_key().bytes()), pub);
  const auto mine = suite.sign_with_label(*key, label, content);
  ASSERT_TRUE(mine);
  EXPECT_EQ(*mine, signature) << "Ed25519 is deterministic";
  EXPECT_TRUE(suite.verify_with_label(key->public_key(), label, content, *mine));

  // Another label or content does not verify.
  const auto relabeled = suite.verify_with_label(pub, label + "x", content, signature);
  ASSERT_FALSE(relabeled);
  EXPECT_EQ(relabeled.error().code, Errc::auth_failed);
  Bytes altered = content;
  altered[0] ^= std::byte{1};
  EXPECT_FALSE(suite.verify_with_label(pub, label, altered, signature));
}

void basics_check_encryption(const CipherSuite& suite, const nlohmann::json& enc) {
  const std::string label = enc.at("label").get<std::string>();
  const Bytes context = basics_hex(enc.at("context"));
  const Bytes plaintext = basics_hex(enc.at("plaintext"));
  const auto priv = crypto::X25519SecretKey::from_bytes(basics_hex(enc.at("priv")));
  ASSERT_TRUE(priv);
  const auto pub = crypto::X25519PublicKey::from_bytes(basics_hex(enc.at("pub")));
  ASSERT_TRUE(pub);
  EXPECT_EQ(priv->public_key(), *pub);

  EXPECT_EQ(
      basics_bytes(suite.decrypt_with_label(*priv, label, context, basics_hex(enc.at("kem_output")),
                                            basics_hex(enc.at("ciphertext")))),
      plaintext)
      << "decrypting the vector's ciphertext";

  bulwark::testing::SeededRng rng(static_cast<std::uint64_t>(suite.id()));
  const auto mine = suite.encrypt_with_label(*pub, label, context, plaintext, rng);
  ASSERT_TRUE(mine);
  EXPECT_EQ(basics_bytes(suite.decrypt_with_label(*priv, label, context, mine->kem_output,
                                                  mine->ciphertext)),
            plaintext)
      << "round trip";
  const auto wrong_context =
      suite.decrypt_with_label(*priv, label, plaintext, mine->kem_output, mine->ciphertext);
  ASSERT_FALSE(wrong_context);
  EXPECT_EQ(wrong_context.error().code, Errc::auth_failed);
  EXPECT_FALSE(
      suite.decrypt_with_label(*priv, label + "x", context, mine->kem_output, mine->ciphertext));
}

TEST(MlsCipherSuiteTest, OfficialCryptoBasicsVectorsMatch) {
  const auto cases = basics_cases();
  int run = 0;
  for (const auto& item : cases) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id));
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    basics_check_derivations(*suite, item);
    basics_check_signature(*suite, item.at("sign_with_label"));
    basics_check_encryption(*suite, item.at("encrypt_with_label"));
    ++run;
  }
  EXPECT_EQ(run, 2);
}

TEST(MlsCipherSuiteTest, OfficialCryptoBasicsOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(basics_cases());
  EXPECT_EQ(counts.run, 2);
  EXPECT_EQ(counts.skipped, 5);
  GTEST_SKIP() << counts.skipped << " crypto-basics cases skipped: " << counts.reasons;
}

TEST(MlsCipherSuiteTest, OnlySuitesOneAndThreeAreSupported) {
  for (std::uint16_t id : {0, 2, 4, 5, 6, 7, 0xffff}) {
    const auto suite = CipherSuite::from_id(id);
    ASSERT_FALSE(suite) << id;
    EXPECT_EQ(suite.error().code, Errc::invalid_argument);
    EXPECT_EQ(suite.error().context, "cipher suite " + std::to_string(id) + " not supported");
  }
  const auto one = CipherSuite::from_id(1);
  const auto three = CipherSuite::from_id(3);
  ASSERT_TRUE(one && three);
  EXPECT_EQ(one->aead_key_size(), 16u);
  EXPECT_EQ(three->aead_key_size(), 32u);
  EXPECT_EQ(CipherSuite::hash_size(), 32u);
  EXPECT_EQ(CipherSuite::aead_nonce_size(), 12u);
  EXPECT_NE(*one, *three);
}

TEST(MlsCipherSuiteTest, ExpandMatchesRfc5869AndTakesContextsOver32KiB) {
  const auto suite = CipherSuite::from_id(1);
  ASSERT_TRUE(suite);
  // RFC 5869 A.1's expand step.
  EXPECT_EQ(
      basics_bytes(suite->kdf_expand(
          bulwark::testing::hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"),
          bulwark::testing::hex("f0f1f2f3f4f5f6f7f8f9"), 42)),
      bulwark::testing::hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf3"
                            "4007208d5b887185865"));
  // 40,000 bytes of info (beyond OpenSSL's HKDF limit); the value is from Python's hmac.
  Bytes info(40000);
  for (std::size_t i = 0; i < info.size(); ++i) info[i] = std::byte(i % 251);
  const Bytes prk(32, std::byte{0x0b});
  EXPECT_EQ(basics_bytes(suite->kdf_expand(prk, info, 42)),
            bulwark::testing::hex("875fb2c73b06188833972f1bf64d2d8213886fcbed9a02e530b634f7164c5a"
                                  "409f361c897af12c662043"));
  EXPECT_FALSE(suite->kdf_expand(prk, info, 0));
  EXPECT_FALSE(suite->kdf_expand(prk, info, 255 * 32 + 1));
  EXPECT_TRUE(suite->kdf_expand(prk, info, 255 * 32));
  EXPECT_FALSE(suite->kdf_expand(Bytes(31), info, 32));
}

TEST(MlsCipherSuiteTest, MacsAndAeadsRoundTripAndRejectTampering) {
  for (std::uint16_t id : {1, 3}) {
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    const Bytes key(32, std::byte{7});
    const Bytes data = bulwark::testing::hex("0102");
    const Bytes tag = suite->mac(key, data);
    EXPECT_TRUE(suite->verify_mac(key, data, tag));
    Bytes bad_tag = tag;
    bad_tag.back() ^= std::byte{1};
    EXPECT_EQ(suite->verify_mac(key, data, bad_tag).error().code, Errc::auth_failed);

    const Bytes aead_key(suite->aead_key_size(), std::byte{9});
    const Bytes nonce(CipherSuite::aead_nonce_size(), std::byte{1});
    const auto sealed = suite->aead_seal(aead_key, nonce, data, bulwark::testing::hex("abcdef"));
    ASSERT_TRUE(sealed);
    const auto opened = suite->aead_open(aead_key, nonce, data, *sealed);
    ASSERT_TRUE(opened);
    EXPECT_EQ(*opened, bulwark::testing::hex("abcdef"));
    EXPECT_EQ(suite->aead_open(aead_key, nonce, {}, *sealed).error().code, Errc::auth_failed);
  }
}

TEST(MlsCipherSuiteTest, DerivedHpkeKeysKeepTheUnclampedPrivateBytes) {
  const auto suite = CipherSuite::from_id(1);
  ASSERT_TRUE(suite);
  const auto derived = suite->derive_hpke_key_pair(Bytes(32, std::byte{0x42}));
  ASSERT_TRUE(derived);
  EXPECT_EQ(derived->private_bytes.size(), 32u);
  EXPECT_EQ(derived->secret_key.public_key(), derived->public_key);
  const auto again = crypto::X25519SecretKey::from_bytes(derived->private_bytes.view());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key(), derived->public_key);
}

}  // namespace
}  // namespace bulwark::protocol::mls
