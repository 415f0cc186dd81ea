// Interop and property tests for XEdDSA in libsignal's variant (sign bit of the Edwards key
// carried in bit 7 of the signature's last byte).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"
#include "support/seeded_rng.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;
using bulwark::testing::SeededRng;

// libsignal interop vector: signalapp/libsignal rust/protocol/src/curve/curve25519.rs,
// test_signature (the same bytes appear, with 0x05 type prefixes on both public keys, in
// libsignal's older test suites). Alice's identity key signs her serialized ephemeral public
// key, INCLUDING its 0x05 type byte; the identity public key is given here without the prefix.
constexpr std::string_view alice_identity_private =
    "c097248412e58bf05df487968205132794178e367637f5818f81e0e6ce73e865";
constexpr std::string_view alice_identity_public =
    "ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64";
constexpr std::string_view alice_ephemeral_public =
    "05edce9d9c415ca78cb7252e72c2c4a554d3eb29485a0e1d503118d1a82d99fb4a";
constexpr std::string_view alice_signature =
    "5de88ca9a89b4a115da79109c67c9c7464a3e4180274f1cb8c63c2984e286dfb"
    "ede82deb9dcd9fae0bfbb821569b3d9001bd8130cd11d486cef047bd60b86e88";

X25519PublicKey alice_key() {
  auto key = X25519PublicKey::from_bytes(hex(alice_identity_public));
  if (!key) throw std::runtime_error("libsignal identity key did not decode");
  return *key;
}

// A flipped key bit may leave the canonical encoding (bit 255); that is a rejection too.
bool key_accepts(const Bytes& key_bytes, ByteView message, ByteView signature) {
  auto key = X25519PublicKey::from_bytes(key_bytes);
  return key && xeddsa_verify(*key, message, signature).has_value();
}

void flip(Bytes& bytes, std::size_t bit) { bytes[bit / 8] ^= std::byte(1u << (bit % 8)); }

TEST(XEdDsaTest, LibsignalIdentityPrivateKeyDerivesPublishedPublicKey) {
  auto secret = X25519SecretKey::from_bytes(hex(alice_identity_private));
  ASSERT_TRUE(secret);
  EXPECT_EQ(to_hex(secret->public_key().bytes()), alice_identity_public);
}

TEST(XEdDsaTest, LibsignalSignatureVerifies) {
  auto result =
      xeddsa_verify(alice_key(), hex(alice_ephemeral_public), hex(alice_signature));
  EXPECT_TRUE(result) << result.error().describe();
}

TEST(XEdDsaTest, LibsignalSignatureWithAnyFlippedMessageBitFails) {
  const Bytes signature = hex(alice_signature);
  Bytes message = hex(alice_ephemeral_public);
  for (std::size_t bit = 0; bit < message.size() * 8; ++bit) {
    flip(message, bit);
    auto result = xeddsa_verify(alice_key(), message, signature);
    ASSERT_FALSE(result) << "bit " << bit;
    EXPECT_EQ(result.error().code, Errc::auth_failed) << "bit " << bit;
    flip(message, bit);
  }
}

// Covers R, S, the sign bit (bit 511) and the two bits above S's 253 (509, 510).
TEST(XEdDsaTest, LibsignalSignatureWithAnyFlippedSignatureBitFails) {
  const Bytes message = hex(alice_ephemeral_public);
  Bytes signature = hex(alice_signature);
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    flip(signature, bit);
    auto result = xeddsa_verify(alice_key(), message, signature);
    ASSERT_FALSE(result) << "bit " << bit;
    EXPECT_EQ(result.error().code, Errc::auth_failed) << "bit " << bit;
    flip(signature, bit);
  }
}

TEST(XEdDsaTest, LibsignalSignatureWithAnyFlippedKeyBitFails) {
  const Bytes message = hex(alice_ephemeral_public);
  const Bytes signature = hex(alice_signature);
  Bytes key = hex(alice_identity_public);
  ASSERT_TRUE(key_accepts(key, message, signature));
  for (std::size_t bit = 0; bit < key.size() * 8; ++bit) {
    flip(key, bit);
    EXPECT_FALSE(key_accepts(key, message, signature)) << "bit " << bit;
    flip(key, bit);
  }
}

TEST(XEdDsaTest, WrongSignatureLengthFails) {
  const Bytes signature = hex(alice_signature);
  const Bytes message = hex(alice_ephemeral_public);
  EXPECT_FALSE(xeddsa_verify(alice_key(), message, ByteView(signature).first(63)));
  EXPECT_FALSE(xeddsa_verify(alice_key(), message, concat({signature, hex("00")})));
  EXPECT_FALSE(xeddsa_verify(alice_key(), message, ByteView{}));
}

class XEdDsaSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto secret = X25519SecretKey::from_bytes(hex(alice_identity_private));
    ASSERT_TRUE(secret);
    secret_.emplace(std::move(*secret));
    public_.emplace(secret_->public_key());
  }

  const X25519SecretKey& secret() const { return *secret_; }
  const X25519PublicKey& public_key() const { return *public_; }

  const Bytes message_ = to_bytes(as_bytes("Hello, Bob!"));

 private:
  std::optional<X25519SecretKey> secret_;
  std::optional<X25519PublicKey> public_;
};

TEST_F(XEdDsaSigningTest, OwnSignatureVerifies) {
  SeededRng rng(1);
  const XEdDsaSignature signature = xeddsa_sign(secret(), message_, rng);
  auto result = xeddsa_verify(public_key(), message_, signature);
  EXPECT_TRUE(result) << result.error().describe();
}

// The header's promise: convert the key with the carried sign bit, clear that bit, and any
// standard Ed25519 verifier accepts the signature.
TEST_F(XEdDsaSigningTest, OwnSignatureVerifiesAsPlainEd25519AfterConversion) {
  SeededRng rng(2);
  XEdDsaSignature signature = xeddsa_sign(secret(), message_, rng);
  const std::uint8_t sign_bit = std::to_integer<std::uint8_t>(signature[63]) >> 7;
  auto edwards = xeddsa_edwards_public_key(public_key(), sign_bit);
  ASSERT_TRUE(edwards) << edwards.error().describe();
  signature[63] &= std::byte{0x7f};
  auto result = ed25519_verify(*edwards, message_, signature);
  EXPECT_TRUE(result) << result.error().describe();
}

// The libsignal signature goes through the same conversion: its sign bit is 1.
TEST(XEdDsaTest, LibsignalSignatureVerifiesAsPlainEd25519AfterConversion) {
  Bytes signature = hex(alice_signature);
  const std::uint8_t sign_bit = std::to_integer<std::uint8_t>(signature[63]) >> 7;
  ASSERT_EQ(sign_bit, 1);
  auto edwards = xeddsa_edwards_public_key(alice_key(), sign_bit);
  ASSERT_TRUE(edwards) << edwards.error().describe();
  signature[63] &= std::byte{0x7f};
  EXPECT_TRUE(ed25519_verify(*edwards, hex(alice_ephemeral_public), signature));
}

TEST_F(XEdDsaSigningTest, OwnSignatureFailsUnderAnotherKey) {
  SeededRng rng(3);
  const XEdDsaSignature signature = xeddsa_sign(secret(), message_, rng);
  auto other = X25519SecretKey::from_bytes(
      hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  ASSERT_TRUE(other);
  auto result = xeddsa_verify(other->public_key(), message_, signature);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::auth_failed);
}

TEST_F(XEdDsaSigningTest, OwnSignatureFailsForAnotherMessage) {
  SeededRng rng(4);
  const XEdDsaSignature signature = xeddsa_sign(secret(), message_, rng);
  auto result = xeddsa_verify(public_key(), as_bytes("Hello, Bob?"), signature);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::auth_failed);
}

TEST_F(XEdDsaSigningTest, OwnSignatureWithFlippedBitFails) {
  SeededRng rng(5);
  const XEdDsaSignature signature = xeddsa_sign(secret(), message_, rng);
  for (std::size_t bit : {std::size_t{0}, std::size_t{255}, std::size_t{256}, std::size_t{511}}) {
    Bytes tampered = to_bytes(signature);
    flip(tampered, bit);
    EXPECT_FALSE(xeddsa_verify(public_key(), message_, tampered)) << "bit " << bit;
  }
}

// Signatures are randomised: the same key and message with a different RNG state must not
// repeat the nonce, so the signatures differ (and both verify).
TEST_F(XEdDsaSigningTest, SignaturesWithDifferentRandomnessDiffer) {
  SeededRng rng(6);
  const XEdDsaSignature first = xeddsa_sign(secret(), message_, rng);
  const XEdDsaSignature second = xeddsa_sign(secret(), message_, rng);
  EXPECT_NE(to_hex(first), to_hex(second));
  EXPECT_TRUE(xeddsa_verify(public_key(), message_, first));
  EXPECT_TRUE(xeddsa_verify(public_key(), message_, second));
}

// Half of all keys have an Edwards sign bit of 0 and half of 1; a signer that always wrote one
// value would pass for one key and fail for the next. Sign with many keys and require both
// bits, every signature verifying both ways.
TEST(XEdDsaTest, SignaturesFromManyKeysCoverBothSignBitsAndAllVerify) {
  SeededRng rng(2024);
  const Bytes message = hex("05aabbcc");
  int sign_bit_count[2] = {0, 0};
  for (int i = 0; i < 64; ++i) {
    const auto pair = x25519_keypair(rng);
    auto signature = xeddsa_sign(pair.secret_key, message, rng);
    ASSERT_TRUE(xeddsa_verify(pair.public_key, message, signature)) << "key " << i;
    const auto sign_bit = static_cast<std::uint8_t>(std::to_integer<unsigned>(signature[63]) >> 7);
    ++sign_bit_count[sign_bit];
    auto edwards = xeddsa_edwards_public_key(pair.public_key, sign_bit);
    ASSERT_TRUE(edwards) << "key " << i;
    signature[63] &= std::byte{0x7f};
    EXPECT_TRUE(ed25519_verify(*edwards, message, signature)) << "key " << i;
    signature[63] |= static_cast<std::byte>((1 - sign_bit) << 7);  // the negated key: must fail
    EXPECT_FALSE(xeddsa_verify(pair.public_key, message, signature)) << "key " << i;
  }
  EXPECT_GT(sign_bit_count[0], 0);
  EXPECT_GT(sign_bit_count[1], 0);
}

// u = p - 1 = -1 is the one Montgomery u with no Edwards image ((u + 1) has no inverse).
TEST(XEdDsaTest, MinusOneHasNoEdwardsFormAndNeverVerifies) {
  const Bytes minus_one =
      hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  auto key = X25519PublicKey::from_bytes(minus_one);
  ASSERT_TRUE(key);  // canonical: p - 1 < p
  for (std::uint8_t sign : {0, 1}) {
    auto edwards = xeddsa_edwards_public_key(*key, sign);
    ASSERT_FALSE(edwards);
    EXPECT_EQ(edwards.error().code, Errc::invalid_encoding);
  }
  EXPECT_EQ(xeddsa_verify(*key, hex("00"), Bytes(64)).error().code, Errc::auth_failed);
  EXPECT_EQ(xeddsa_edwards_public_key(*key, 2).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::crypto
