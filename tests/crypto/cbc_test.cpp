// Known-answer and failure tests for AES-256-CBC with PKCS#7 padding.
//
// NIST SP 800-38A F.2.5 has no padding; our API always pads, so a block-aligned plaintext gains
// one full block of 0x10 bytes. The first 64 bytes of output are therefore the NIST vector and
// the last 16 are CBC-AES256 of that pad block, chained from the vector's last block.
#include <cstddef>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/cbc.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

// NIST SP 800-38A F.2.5 CBC-AES256.Encrypt, transcribed from weidai11/cryptopp
// TestVectors/aes.txt ("F.2.5 CBC-AES256.Encrypt"); the same blocks appear in bitcoin/bitcoin
// src/test/crypto_tests.cpp (aes_cbc_testvectors).
constexpr std::string_view f25_key =
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
constexpr std::string_view f25_iv = "000102030405060708090a0b0c0d0e0f";
constexpr std::string_view f25_plaintext =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
constexpr std::string_view f25_ciphertext =
    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
    "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b";

// The pad block: bitcoin/bitcoin src/test/crypto_tests.cpp encrypts F.2.5's fourth block with
// padding, IV = the third ciphertext block, and gets b2eb05e2... followed by this block, which
// is exactly what follows the fourth block here.
constexpr std::string_view f25_pad_block = "3f461796d6b0d6b2e0c2a72b4d80e644";

Bytes pattern(std::size_t length) {
  Bytes out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = static_cast<std::byte>(i * 7 + 1);
  return out;
}

TEST(CbcTest, Sp80038aF25EncryptMatchesAndAppendsOnePadBlock) {
  auto ciphertext = aes256cbc_encrypt(hex(f25_key), hex(f25_iv), hex(f25_plaintext));
  ASSERT_TRUE(ciphertext) << ciphertext.error().describe();
  ASSERT_EQ(ciphertext->size(), std::size_t{64 + 16});
  EXPECT_EQ(to_hex(ByteView(*ciphertext).first(64)), f25_ciphertext);
  EXPECT_EQ(to_hex(ByteView(*ciphertext).last(16)), f25_pad_block);
}

TEST(CbcTest, Sp80038aF25DecryptRemovesPadding) {
  const Bytes ciphertext = concat({hex(f25_ciphertext), hex(f25_pad_block)});
  auto plaintext = aes256cbc_decrypt(hex(f25_key), hex(f25_iv), ciphertext);
  ASSERT_TRUE(plaintext) << plaintext.error().describe();
  EXPECT_EQ(to_hex(*plaintext), f25_plaintext);
}

// Lengths 0..48 cover the empty message, every partial block and three block boundaries.
TEST(CbcTest, RoundTripsEveryLengthUpTo48) {
  const Bytes key = hex(f25_key);
  const Bytes iv = hex(f25_iv);
  for (std::size_t length = 0; length <= 48; ++length) {
    const Bytes plaintext = pattern(length);
    auto ciphertext = aes256cbc_encrypt(key, iv, plaintext);
    ASSERT_TRUE(ciphertext) << length;
    EXPECT_EQ(ciphertext->size(), (length / 16 + 1) * 16) << length;
    auto decrypted = aes256cbc_decrypt(key, iv, *ciphertext);
    ASSERT_TRUE(decrypted) << length;
    EXPECT_EQ(*decrypted, plaintext) << length;
  }
}

TEST(CbcTest, DecryptRejectsLengthThatIsNotAPositiveMultipleOf16) {
  const Bytes key = hex(f25_key);
  const Bytes iv = hex(f25_iv);
  const Bytes valid = concat({hex(f25_ciphertext), hex(f25_pad_block)});
  for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{17},
                             std::size_t{79}}) {
    EXPECT_FALSE(aes256cbc_decrypt(key, iv, ByteView(valid).first(length))) << length;
  }
  EXPECT_FALSE(aes256cbc_decrypt(key, iv, concat({valid, hex("00")})));
}

// The empty message encrypts to E(IV xor 10..10). Changing the IV changes the decrypted pad
// block byte for byte, so each case below yields a known, invalid padding.
TEST(CbcTest, BadPaddingIsAuthFailed) {
  const Bytes key = hex(f25_key);
  const Bytes iv = hex(f25_iv);
  auto ciphertext = aes256cbc_encrypt(key, iv, {});
  ASSERT_TRUE(ciphertext);
  ASSERT_EQ(ciphertext->size(), std::size_t{16});

  struct Case {
    const char* what;
    std::size_t index;
    unsigned mask;
  };
  const Case cases[] = {
      {"pad byte 0x00", 15, 0x10},
      {"pad byte 0x11, longer than a block", 15, 0x01},
      {"pad byte 0xff", 15, 0xef},
      {"first pad byte differs from the others", 0, 0x01},
      {"middle pad byte differs from the others", 8, 0x20},
  };
  for (const Case& c : cases) {
    Bytes tampered_iv = iv;
    tampered_iv[c.index] ^= static_cast<std::byte>(c.mask);
    auto result = aes256cbc_decrypt(key, tampered_iv, *ciphertext);
    ASSERT_FALSE(result) << c.what;
    EXPECT_EQ(result.error().code, Errc::auth_failed) << c.what;
  }
}

TEST(CbcTest, WrongKeyOrIvLengthIsRejected) {
  const Bytes key = hex(f25_key);
  const Bytes iv = hex(f25_iv);
  const Bytes block = hex(f25_pad_block);
  EXPECT_FALSE(aes256cbc_encrypt(ByteView(key).first(31), iv, block));
  EXPECT_FALSE(aes256cbc_encrypt(ByteView(key).first(16), iv, block));
  EXPECT_FALSE(aes256cbc_encrypt(key, ByteView(iv).first(12), block));
  EXPECT_FALSE(aes256cbc_decrypt(ByteView(key).first(31), iv, block));
  EXPECT_FALSE(aes256cbc_decrypt(key, ByteView(iv).first(15), block));
}

}  // namespace
}  // namespace bulwark::crypto
