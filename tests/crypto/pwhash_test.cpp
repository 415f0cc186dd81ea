// Argon2id password hashing (crypto/pwhash.h).
//
// The known answers were computed with the Argon2 reference implementation (the
// phc-winner-argon2 library, Debian's libargon2-1, argon2id_hash_raw, version 0x13), not with
// libsodium, at the parameters libsodium's limits stand for: interactive = 2 passes over
// 65536 KiB, moderate = 3 passes over 262144 KiB, one lane, 32-byte output. RFC 9106's vectors
// use a secret and associated data, which crypto_pwhash cannot take, so none of them applies.
#include "crypto/pwhash.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string_view>

#include "common/bytes.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

constexpr std::string_view passphrase = "correct horse battery staple";

Bytes counting_salt() {
  Bytes salt(pwhash_salt_bytes);
  for (std::size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<std::byte>(i);
  return salt;
}

TEST(PwhashTest, InteractiveMatchesTheReferenceImplementation) {
  auto key = pwhash_argon2id(passphrase, counting_salt(), 32, PwhashStrength::interactive);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(to_hex(key->view()),
            "c05ce4c4dd7e0e45ee6011cc59d068ade47df1b01fc0cf9cd4678bdf68a5b7b0");
}

TEST(PwhashTest, ModerateMatchesTheReferenceImplementation) {
  auto key = pwhash_argon2id(passphrase, counting_salt(), 32, PwhashStrength::moderate);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(to_hex(key->view()),
            "aad608b5866cef907f47d5cae529ed01a91301c92c5d5fef46e1a65e394e5742");
}

TEST(PwhashTest, SameInputsGiveTheSameKey) {
  auto first = pwhash_argon2id("pass", counting_salt(), 32, PwhashStrength::interactive);
  auto second = pwhash_argon2id("pass", counting_salt(), 32, PwhashStrength::interactive);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(to_hex(first->view()), to_hex(second->view()));
}

TEST(PwhashTest, DifferentSaltsGiveDifferentKeys) {
  Bytes other = counting_salt();
  other[0] ^= std::byte{1};
  auto first = pwhash_argon2id("pass", counting_salt(), 32, PwhashStrength::interactive);
  auto second = pwhash_argon2id("pass", other, 32, PwhashStrength::interactive);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(to_hex(first->view()), to_hex(second->view()));
}

TEST(PwhashTest, DifferentPassphrasesGiveDifferentKeys) {
  auto first = pwhash_argon2id("pass", counting_salt(), 32, PwhashStrength::interactive);
  auto second = pwhash_argon2id("Pass", counting_salt(), 32, PwhashStrength::interactive);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_NE(to_hex(first->view()), to_hex(second->view()));
}

TEST(PwhashTest, EmptyPassphraseIsHashed) {
  auto key = pwhash_argon2id("", counting_salt(), 32, PwhashStrength::interactive);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(key->size(), 32u);
}

TEST(PwhashTest, WrongSaltSizeIsRejected) {
  Bytes short_salt(pwhash_salt_bytes - 1);
  Bytes long_salt(pwhash_salt_bytes + 1);
  auto too_short = pwhash_argon2id("pass", short_salt, 32, PwhashStrength::interactive);
  auto too_long = pwhash_argon2id("pass", long_salt, 32, PwhashStrength::interactive);
  ASSERT_FALSE(too_short);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_short.error().code, Errc::invalid_length);
  EXPECT_EQ(too_long.error().code, Errc::invalid_length);
}

TEST(PwhashTest, OutputShorterThanSixteenBytesIsRejected) {
  auto key = pwhash_argon2id("pass", counting_salt(), 15, PwhashStrength::interactive);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark::crypto
