// Known-answer tests for the hash functions: SHA-256 and SHA-512 (FIPS 180-4 examples),
// SHA3-256 and SHA3-512 (FIPS 202), and the SHAKE128/SHAKE256 XOFs.
//
// Sources: SHA-2 digests transcribed from bitcoin/bitcoin src/test/crypto_tests.cpp
// (sha256_testvectors, sha512_testvectors); SHA-3 and SHAKE from boostorg/hash2 test/sha3.cpp,
// test/shake.cpp, test/sha3_256_cx.cpp, test/sha3_512_cx.cpp, test/shake_128_cx.cpp and
// test/shake_256_cx.cpp (the NIST FIPS 202 example values); the two empty-message SHAKE values
// also appear in weidai11/cryptopp TestVectors/shake.txt. Every value was checked against
// Python hashlib (OpenSSL) before it was committed.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/hash.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

// FIPS 180-4 examples: the 448-bit two-block message and one million repetitions of 'a'.
constexpr std::string_view message_448_bits =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

const std::string& million_a() {
  static const std::string message(1'000'000, 'a');
  return message;
}

template <std::size_t N>
std::string hex_of(const std::array<std::byte, N>& digest) {
  return to_hex(view_of(digest));
}

// SHA-256, FIPS 180-4 examples (bitcoin/bitcoin src/test/crypto_tests.cpp).
TEST(Sha256Test, EmptyMessageMatches) {
  EXPECT_EQ(hex_of(sha256(ByteView{})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, AbcMatches) {
  EXPECT_EQ(hex_of(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, TwoBlock448BitMessageMatches) {
  EXPECT_EQ(hex_of(sha256(as_bytes(message_448_bits))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, OneMillionAMatches) {
  EXPECT_EQ(hex_of(sha256(as_bytes(million_a()))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// SHA-512, FIPS 180-4 examples (bitcoin/bitcoin src/test/crypto_tests.cpp).
TEST(Sha512Test, EmptyMessageMatches) {
  EXPECT_EQ(hex_of(sha512(ByteView{})),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

TEST(Sha512Test, AbcMatches) {
  EXPECT_EQ(hex_of(sha512(as_bytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Sha512Test, TwoBlock448BitMessageMatches) {
  EXPECT_EQ(hex_of(sha512(as_bytes(message_448_bits))),
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
            "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
}

TEST(Sha512Test, OneMillionAMatches) {
  EXPECT_EQ(hex_of(sha512(as_bytes(million_a()))),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

// SHA3-256 and SHA3-512, FIPS 202 (boostorg/hash2 test/sha3.cpp, test/sha3_*_cx.cpp).
TEST(Sha3Test, Digest256OfEmptyMessageMatches) {
  EXPECT_EQ(hex_of(sha3_256(ByteView{})),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

TEST(Sha3Test, Digest256OfAbcMatches) {
  EXPECT_EQ(hex_of(sha3_256(as_bytes("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST(Sha3Test, Digest512OfEmptyMessageMatches) {
  EXPECT_EQ(hex_of(sha3_512(ByteView{})),
            "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
            "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
}

TEST(Sha3Test, Digest512OfAbcMatches) {
  EXPECT_EQ(hex_of(sha3_512(as_bytes("abc"))),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
}

// SHAKE128("") and SHAKE256(""), 32 and 64 bytes (boostorg/hash2 test/shake.cpp;
// weidai11/cryptopp TestVectors/shake.txt).
constexpr std::string_view shake128_empty_32 =
    "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26";
constexpr std::string_view shake256_empty_64 =
    "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
    "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be";

// SHAKE128("abc") and SHAKE256("abc"), one full rate block each: 168 and 136 bytes
// (boostorg/hash2 test/shake_128_cx.cpp and test/shake_256_cx.cpp).
constexpr std::string_view shake128_abc_168 =
    "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8"
    "44c50af32acd3f2cdd066568706f509bc1bdde58295dae3f891a9a0fca578378"
    "9a41f8611214ce612394df286a62d1a2252aa94db9c538956c717dc2bed4f232"
    "a0294c857c730aa16067ac1062f1201fb0d377cfb9cde4c63599b27f3462bba4"
    "a0ed296c801f9ff7f57302bb3076ee145f97a32ae68e76ab66c48d51675bd49a"
    "cc29082f5647584e";
constexpr std::string_view shake256_abc_136 =
    "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739"
    "d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4"
    "1385141204f329979fd3047a13c5657724ada64d2470157b3cdc288620944d78"
    "dbcddbd912993f0913f164fb2ce95131a2d09a3e6d51cbfc622720d7a75c6334"
    "e8a2d7ec71a7cc29";

TEST(ShakeTest, Shake128OfEmptyMessageMatches) {
  EXPECT_EQ(to_hex(shake128(ByteView{}, 32)), shake128_empty_32);
}

TEST(ShakeTest, Shake256OfEmptyMessageMatches) {
  EXPECT_EQ(to_hex(shake256(ByteView{}, 64)), shake256_empty_64);
}

TEST(ShakeTest, Shake128OfAbcMatches) {
  EXPECT_EQ(to_hex(shake128(as_bytes("abc"), 32)), shake128_abc_168.substr(0, 64));
  EXPECT_EQ(to_hex(shake128(as_bytes("abc"), 168)), shake128_abc_168);
}

TEST(ShakeTest, Shake256OfAbcMatches) {
  EXPECT_EQ(to_hex(shake256(as_bytes("abc"), 64)), shake256_abc_136.substr(0, 128));
  EXPECT_EQ(to_hex(shake256(as_bytes("abc"), 136)), shake256_abc_136);
}

// An XOF's output is one stream: asking for more never changes the bytes already given, also
// past the first rate block (168 and 136 bytes).
TEST(ShakeTest, LongerOutputStartsWithShorterOutput) {
  const std::string long128 = to_hex(shake128(ByteView{}, 500));
  const std::string long256 = to_hex(shake256(ByteView{}, 500));
  EXPECT_EQ(long128.substr(0, 64), shake128_empty_32);
  EXPECT_EQ(long256.substr(0, 128), shake256_empty_64);
  EXPECT_EQ(to_hex(shake128(as_bytes("abc"), 200)).substr(0, 336), shake128_abc_168);
  EXPECT_EQ(to_hex(shake256(as_bytes("abc"), 200)).substr(0, 272), shake256_abc_136);
  EXPECT_EQ(long128.substr(0, 2 * 300), to_hex(shake128(ByteView{}, 300)));
  EXPECT_EQ(long256.substr(0, 2 * 300), to_hex(shake256(ByteView{}, 300)));
}

TEST(ShakeTest, ZeroLengthOutputIsEmpty) {
  EXPECT_TRUE(shake128(as_bytes("abc"), 0).empty());
  EXPECT_TRUE(shake256(as_bytes("abc"), 0).empty());
}

// Cuts at 0, inside the first block, and at the end; empty parts in between are harmless.
TEST(HashTest, MultiPartInputEqualsConcatenation) {
  const ByteView message = as_bytes(message_448_bits);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{31}, message.size()}) {
    SCOPED_TRACE(cut);
    const ByteView head = message.first(cut);
    const ByteView tail = message.subspan(cut);
    EXPECT_EQ(hex_of(sha256({head, ByteView{}, tail})), hex_of(sha256(message)));
    EXPECT_EQ(hex_of(sha512({head, ByteView{}, tail})), hex_of(sha512(message)));
    EXPECT_EQ(hex_of(sha3_256({head, ByteView{}, tail})), hex_of(sha3_256(message)));
    EXPECT_EQ(hex_of(sha3_512({head, ByteView{}, tail})), hex_of(sha3_512(message)));

    Bytes out128(200);
    shake128({head, ByteView{}, tail}, out128);
    EXPECT_EQ(to_hex(out128), to_hex(shake128(message, 200)));
    Bytes out256(200);
    shake256({head, ByteView{}, tail}, out256);
    EXPECT_EQ(to_hex(out256), to_hex(shake256(message, 200)));
  }
}

}  // namespace
}  // namespace bulwark::crypto
