// Known-answer and failure tests for the two AEADs: ChaCha20-Poly1305 (RFC 8439) and
// AES-256-GCM (McGrew-Viega GCM specification, the 256-bit-key test cases 13-16).
//
// Sources: the RFC 8439 vectors are transcribed from bitcoin/bitcoin
// src/test/crypto_tests.cpp (chacha20poly1305_testvectors), the GCM ones from weidai11/cryptopp
// TestVectors/gcm.txt (Gladman's copy of the specification's test cases). All were checked
// against Python cryptography (OpenSSL). Ciphertexts below are ciphertext || 16-byte tag, the
// layout the API returns.
#include <cstddef>
#include <string>
#include <string_view>

#include <sys/mman.h>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/aead.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

struct AeadVector {
  std::string_view key;
  std::string_view nonce;
  std::string_view aad;
  std::string_view plaintext;
  std::string_view ciphertext_and_tag;
};

using AeadFunction = Result<Bytes> (*)(ByteView key, ByteView nonce, ByteView input,
                                       ByteView associated_data);

struct Aead {
  std::string_view name;
  AeadFunction encrypt;
  AeadFunction decrypt;
};

constexpr Aead chacha{"ChaCha20-Poly1305", chacha20poly1305_encrypt, chacha20poly1305_decrypt};
constexpr Aead gcm{"AES-256-GCM", aes256gcm_encrypt, aes256gcm_decrypt};
constexpr Aead both_aeads[] = {chacha, gcm};

// RFC 8439 §2.8.2, ChaCha20-Poly1305 AEAD example ("Ladies and Gentlemen ...").
constexpr AeadVector rfc8439_section_2_8_2{
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
    "070000004041424344454647",
    "50515253c0c1c2c3c4c5c6c7",
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e",
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
    "3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09e26a7e902ecbd060"
    "0691"};

// RFC 8439 Appendix A.5, ChaCha20-Poly1305 AEAD decryption example.
constexpr AeadVector rfc8439_appendix_a_5{
    "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
    "000000000102030405060708",
    "f33388860000000000004e91",
    "496e7465726e65742d4472616674732061726520647261667420646f63756d65"
    "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
    "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
    "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
    "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
    "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
    "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
    "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
    "726573732e2fe2809d",
    "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
    "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
    "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
    "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
    "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
    "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
    "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
    "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
    "a6ad5cb4022b02709beead9d67890cbb22392336fea1851f38"};

// McGrew-Viega GCM specification, Test Case 13: 256-bit zero key, empty plaintext, no AAD.
constexpr AeadVector gcm_case_13{
    "0000000000000000000000000000000000000000000000000000000000000000",
    "000000000000000000000000",
    "",
    "",
    "530f8afbc74536b9a963b4f1c4cb738b"};

// McGrew-Viega GCM specification, Test Case 14: 256-bit zero key, one zero block.
constexpr AeadVector gcm_case_14{
    "0000000000000000000000000000000000000000000000000000000000000000",
    "000000000000000000000000",
    "",
    "00000000000000000000000000000000",
    "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"};

// McGrew-Viega GCM specification, Test Case 15: 64-byte plaintext, no AAD.
constexpr AeadVector gcm_case_15{
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    "cafebabefacedbaddecaf888",
    "",
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
    "b094dac5d93471bdec1a502270e3cc6c"};

// McGrew-Viega GCM specification, Test Case 16: 60-byte plaintext, 20-byte AAD (both end in
// partial blocks).
constexpr AeadVector gcm_case_16{
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    "cafebabefacedbaddecaf888",
    "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece"
    "0f4e1768cddf8853bb2d551b"};

void expect_encrypts(const Aead& aead, const AeadVector& vector) {
  auto sealed = aead.encrypt(hex(vector.key), hex(vector.nonce), hex(vector.plaintext),
                             hex(vector.aad));
  ASSERT_TRUE(sealed) << sealed.error().describe();
  EXPECT_EQ(to_hex(*sealed), vector.ciphertext_and_tag);
}

void expect_decrypts(const Aead& aead, const AeadVector& vector) {
  auto opened = aead.decrypt(hex(vector.key), hex(vector.nonce), hex(vector.ciphertext_and_tag),
                             hex(vector.aad));
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(to_hex(*opened), vector.plaintext);
}

void expect_auth_failed(const Result<Bytes>& result, std::string_view what) {
  ASSERT_FALSE(result) << what;
  EXPECT_EQ(result.error().code, Errc::auth_failed) << what;
}

TEST(AeadTest, Rfc8439Section282ChaChaPolyMatches) {
  expect_encrypts(chacha, rfc8439_section_2_8_2);
  expect_decrypts(chacha, rfc8439_section_2_8_2);
}

TEST(AeadTest, Rfc8439AppendixA5ChaChaPolyDecrypts) {
  expect_decrypts(chacha, rfc8439_appendix_a_5);
}

TEST(AeadTest, GcmSpecCase13EmptyPlaintextMatches) {
  expect_encrypts(gcm, gcm_case_13);
  expect_decrypts(gcm, gcm_case_13);
}

TEST(AeadTest, GcmSpecCase14OneZeroBlockMatches) {
  expect_encrypts(gcm, gcm_case_14);
  expect_decrypts(gcm, gcm_case_14);
}

TEST(AeadTest, GcmSpecCase15FourBlocksMatches) {
  expect_encrypts(gcm, gcm_case_15);
  expect_decrypts(gcm, gcm_case_15);
}

TEST(AeadTest, GcmSpecCase16PartialBlocksWithAadMatches) {
  expect_encrypts(gcm, gcm_case_16);
  expect_decrypts(gcm, gcm_case_16);
}

// Every single-bit change to ciphertext, tag or associated data must fail, whole.
TEST(AeadTest, FlippedCiphertextTagOrAadBitIsAuthFailed) {
  const Bytes key = hex(gcm_case_16.key);
  const Bytes nonce = hex(gcm_case_16.nonce);
  const Bytes aad = hex(gcm_case_16.aad);
  for (const Aead& aead : both_aeads) {
    SCOPED_TRACE(std::string(aead.name));
    auto sealed = aead.encrypt(key, nonce, hex(gcm_case_16.plaintext), aad);
    ASSERT_TRUE(sealed);
    ASSERT_TRUE(aead.decrypt(key, nonce, *sealed, aad));

    const std::size_t tag_start = sealed->size() - 16;
    for (std::size_t byte : {std::size_t{0}, tag_start - 1, tag_start, sealed->size() - 1}) {
      for (unsigned bit : {0u, 7u}) {
        Bytes tampered = *sealed;
        tampered[byte] ^= std::byte(1u << bit);
        expect_auth_failed(aead.decrypt(key, nonce, tampered, aad),
                           "byte " + std::to_string(byte) + " bit " + std::to_string(bit));
      }
    }
    for (std::size_t byte = 0; byte < aad.size(); ++byte) {
      Bytes tampered_aad = aad;
      tampered_aad[byte] ^= std::byte{0x01};
      expect_auth_failed(aead.decrypt(key, nonce, *sealed, tampered_aad),
                         "aad byte " + std::to_string(byte));
    }
    expect_auth_failed(aead.decrypt(key, nonce, *sealed, {}), "aad dropped");
  }
}

TEST(AeadTest, WrongKeyOrNonceIsAuthFailed) {
  for (const Aead& aead : both_aeads) {
    SCOPED_TRACE(std::string(aead.name));
    const Bytes key = hex(gcm_case_15.key);
    const Bytes nonce = hex(gcm_case_15.nonce);
    auto sealed = aead.encrypt(key, nonce, hex(gcm_case_15.plaintext), {});
    ASSERT_TRUE(sealed);
    Bytes other_key = key;
    other_key[0] ^= std::byte{0x80};
    Bytes other_nonce = nonce;
    other_nonce[11] ^= std::byte{0x01};
    expect_auth_failed(aead.decrypt(other_key, nonce, *sealed, {}), "other key");
    expect_auth_failed(aead.decrypt(key, other_nonce, *sealed, {}), "other nonce");
  }
}

TEST(AeadTest, WrongKeyLengthIsInvalidLength) {
  const Bytes nonce(12, std::byte{0});
  for (const Aead& aead : both_aeads) {
    for (std::size_t length :
         {std::size_t{0}, std::size_t{16}, std::size_t{31}, std::size_t{33}}) {
      const Bytes key(length, std::byte{0});
      auto sealed = aead.encrypt(key, nonce, hex("00"), {});
      ASSERT_FALSE(sealed) << aead.name << " key of " << length;
      EXPECT_EQ(sealed.error().code, Errc::invalid_length) << aead.name << " key of " << length;
      auto opened = aead.decrypt(key, nonce, Bytes(17, std::byte{0}), {});
      ASSERT_FALSE(opened) << aead.name << " key of " << length;
      EXPECT_EQ(opened.error().code, Errc::invalid_length) << aead.name << " key of " << length;
    }
  }
}

// 8 bytes is the original ChaCha20-Poly1305 nonce and 24 the XChaCha one: neither may be
// silently accepted.
TEST(AeadTest, WrongNonceLengthIsInvalidLength) {
  const Bytes key(32, std::byte{0});
  for (const Aead& aead : both_aeads) {
    for (std::size_t length : {std::size_t{0}, std::size_t{8}, std::size_t{11}, std::size_t{13},
                               std::size_t{24}}) {
      const Bytes nonce(length, std::byte{0});
      auto sealed = aead.encrypt(key, nonce, hex("00"), {});
      ASSERT_FALSE(sealed) << aead.name << " nonce of " << length;
      EXPECT_EQ(sealed.error().code, Errc::invalid_length) << aead.name << " nonce of " << length;
      auto opened = aead.decrypt(key, nonce, Bytes(17, std::byte{0}), {});
      ASSERT_FALSE(opened) << aead.name << " nonce of " << length;
      EXPECT_EQ(opened.error().code, Errc::invalid_length) << aead.name << " nonce of " << length;
    }
  }
}

// Shorter than a tag cannot be authentic; it must fail without reading past the input.
TEST(AeadTest, CiphertextShorterThanTagIsRejected) {
  const Bytes key(32, std::byte{0});
  const Bytes nonce(12, std::byte{0});
  for (const Aead& aead : both_aeads) {
    for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{15}}) {
      auto opened = aead.decrypt(key, nonce, Bytes(length, std::byte{0}), {});
      ASSERT_FALSE(opened) << aead.name << " input of " << length;
      EXPECT_EQ(opened.error().code, Errc::auth_failed) << aead.name << " input of " << length;
    }
  }
}

// OpenSSL takes int lengths: associated data past 2^31 bytes once wrapped around and
// authenticated only a prefix. Over 1 GiB is now refused outright. The region is reserved with
// mmap and never touched, so the test costs no memory.
TEST(AeadTest, GcmRefusesAssociatedDataOverOneGibibyteInsteadOfTruncatingIt) {
  const std::size_t size = (std::size_t{1} << 30) + 1;
  void* region = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  const ByteView huge(static_cast<const std::byte*>(region), size);
  const Bytes key(32, std::byte{1}), nonce(12, std::byte{2}), body(32, std::byte{3});
  EXPECT_EQ(aes256gcm_encrypt(key, nonce, body, huge).error().code, Errc::invalid_length);
  EXPECT_EQ(aes256gcm_decrypt(key, nonce, body, huge).error().code, Errc::invalid_length);
  EXPECT_EQ(aes256gcm_encrypt(key, nonce, huge, {}).error().code, Errc::invalid_length);
  munmap(region, size);
}

}  // namespace
}  // namespace bulwark::crypto

namespace bulwark::crypto {
namespace {

// The GCM specification's (McGrew and Viega) test cases 1 and 2: AES-128 with a zero key and
// nonce, on no plaintext and on one zero block.
TEST(AeadTest, Aes128GcmSpecCases1And2Match) {
  const Bytes key(16, std::byte{0});
  const Bytes nonce(12, std::byte{0});
  EXPECT_EQ(aes128gcm_encrypt(key, nonce, {}, {}).value(),
            testing::hex("58e2fccefa7e3061367f1d57a4e7455a"));
  const Bytes sealed = aes128gcm_encrypt(key, nonce, Bytes(16, std::byte{0}), {}).value();
  EXPECT_EQ(sealed, testing::hex("0388dace60b6a392f328c2b971b2fe78"
                                 "ab6e47d42cec13bdf53a67b21257bddf"));
  EXPECT_EQ(aes128gcm_decrypt(key, nonce, sealed, {}).value(), Bytes(16, std::byte{0}));
  EXPECT_EQ(aes128gcm_encrypt(Bytes(32, std::byte{0}), nonce, {}, {}).error().code,
            Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark::crypto
