// Known-answer tests for HMAC-SHA256 (RFC 4231 §4.2-4.8, test cases 1-7) and for the
// truncated-tag verifier.
//
// Vectors transcribed from bitcoin/bitcoin src/test/crypto_tests.cpp (hmac_sha256_testvectors,
// cases 1-4, 6, 7) and dovecot/core src/lib/test-hmac.c (all seven, including the truncated
// case 5); both copy RFC 4231. Keys and data that the RFC lists as one repeated byte are built
// with a repeat count rather than spelled out.
#include <cstddef>
#include <string>
#include <string_view>
#include <iterator>
#include <utility>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/mac.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

Bytes repeated(std::size_t count, unsigned value) {
  return Bytes(count, static_cast<std::byte>(value));
}

std::string tag_hex(ByteView key, ByteView data) {
  return to_hex(view_of(hmac_sha256(key, data)));
}

// RFC 4231 §4.2, Test Case 1.
TEST(HmacTest, Rfc4231Case1Matches) {
  EXPECT_EQ(tag_hex(repeated(20, 0x0b), as_bytes("Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231 §4.3, Test Case 2: a key shorter than the output.
TEST(HmacTest, Rfc4231Case2WithShortKeyMatches) {
  EXPECT_EQ(tag_hex(as_bytes("Jefe"), as_bytes("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 4231 §4.4, Test Case 3: 20-byte key of 0xaa, 50 bytes of 0xdd.
TEST(HmacTest, Rfc4231Case3Matches) {
  EXPECT_EQ(tag_hex(repeated(20, 0xaa), repeated(50, 0xdd)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

// RFC 4231 §4.5, Test Case 4: key 0x01..0x19, 50 bytes of 0xcd.
TEST(HmacTest, Rfc4231Case4Matches) {
  EXPECT_EQ(tag_hex(hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                    repeated(50, 0xcd)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

// RFC 4231 §4.6, Test Case 5: the RFC publishes only the leftmost 128 bits of the tag.
TEST(HmacTest, Rfc4231Case5TruncatedTo128BitsMatchesAndVerifies) {
  const Bytes key = repeated(20, 0x0c);
  const ByteView data = as_bytes("Test With Truncation");
  const Bytes truncated = hex("a3b6167473100ee06e0c796c2955552b");

  const HmacSha256Tag tag = hmac_sha256(key, data);
  EXPECT_EQ(to_hex(ByteView(tag).first(16)), to_hex(truncated));
  EXPECT_TRUE(verify_hmac_sha256(key, {data}, truncated, 16));
}

// RFC 4231 §4.7, Test Case 6: a 131-byte key, longer than the block, is hashed first.
TEST(HmacTest, Rfc4231Case6WithKeyLongerThanBlockMatches) {
  EXPECT_EQ(tag_hex(repeated(131, 0xaa),
                    as_bytes("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// RFC 4231 §4.8, Test Case 7: long key and data longer than the block.
constexpr std::string_view case_7_data =
    "This is a test using a larger than block-size key and a larger than block-size data. "
    "The key needs to be hashed before being used by the HMAC algorithm.";

TEST(HmacTest, Rfc4231Case7WithLongKeyAndDataMatches) {
  EXPECT_EQ(tag_hex(repeated(131, 0xaa), as_bytes(case_7_data)),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// Keys of one block less, exactly one block and one block more (64 bytes): used as they are,
// zero-padded, or hashed first. Expected values from Python's hmac module.
TEST(HmacTest, KeysAroundTheBlockSizeMatchAnIndependentImplementation) {
  const std::pair<std::size_t, const char*> cases[] = {
      {63, "5b3b28939f062233edd3b78c7984acc50bdb173013a53a3175a1b667dd4cdae0"},
      {64, "04660fc313657aa3500078e1f2788cc4e328654092b137f946516e4d7a17adae"},
      {65, "ea8a9678017bce7c50df43ced20cc4b112ed884969720bb2ec14e24ce582f037"},
  };
  for (const auto& [size, expected] : cases) {
    Bytes key(size);
    for (std::size_t i = 0; i < size; ++i) key[i] = std::byte(i);
    EXPECT_EQ(tag_hex(key, as_bytes("boundary")), expected) << size << "-byte key";
  }
}

TEST(HmacTest, VerifyAcceptsFullTag) {
  const Bytes key = repeated(20, 0x0b);
  const HmacSha256Tag tag = hmac_sha256(key, as_bytes("Hi There"));
  EXPECT_TRUE(verify_hmac_sha256(key, {as_bytes("Hi There")}, tag, 32));
}

TEST(HmacTest, VerifyRejectsWrongTag) {
  const Bytes key = repeated(20, 0x0b);
  const ByteView data = as_bytes("Hi There");
  HmacSha256Tag tag = hmac_sha256(key, data);
  for (std::size_t i = 0; i < tag.size(); ++i) {
    tag[i] ^= std::byte{0x01};
    EXPECT_FALSE(verify_hmac_sha256(key, {data}, tag, 32)) << "byte " << i;
    tag[i] ^= std::byte{0x01};
  }
  EXPECT_FALSE(verify_hmac_sha256(repeated(20, 0x0c), {data}, tag, 32));
  EXPECT_FALSE(verify_hmac_sha256(key, {as_bytes("Hi there")}, tag, 32));
}

// The truncation is the protocol's constant, not the wire's: a tag of any other length, and in
// particular a shorter prefix an attacker could guess, never verifies.
TEST(HmacTest, VerifyRejectsTagsOfAnyOtherLength) {
  const Bytes key = repeated(20, 0x0b);
  const ByteView data = as_bytes("Hi There");
  const HmacSha256Tag tag = hmac_sha256(key, data);
  EXPECT_TRUE(verify_hmac_sha256(key, {data}, ByteView(tag).first(8), 8));
  for (std::size_t length : {0, 1, 7, 9, 32}) {
    EXPECT_FALSE(verify_hmac_sha256(key, {data}, ByteView(tag).first(length), 8)) << length;
  }
  EXPECT_FALSE(verify_hmac_sha256(key, {data}, ByteView{}, 8));
  EXPECT_FALSE(verify_hmac_sha256(key, {data}, concat({tag, hex("00")}), 32));
  EXPECT_FALSE(verify_hmac_sha256(key, {data}, concat({tag, tag}), 32));
}

TEST(HmacDeathTest, TagLengthOutsideEightToThirtyTwoIsAProgrammingError) {
  const Bytes key = repeated(20, 0x0b);
  const HmacSha256Tag tag = hmac_sha256(key, as_bytes("x"));
  EXPECT_DEATH((void)verify_hmac_sha256(key, {as_bytes("x")}, ByteView(tag).first(4), 4),
               "contract violation");
  EXPECT_DEATH((void)verify_hmac_sha256(key, {as_bytes("x")}, tag, 33), "contract violation");
}

// RFC 2104 allows any key length, including none (then the key is 64 zero bytes).
TEST(HmacTest, EmptyKeyEqualsAllZeroBlockKey) {
  const ByteView data = as_bytes("message");
  EXPECT_EQ(to_hex(hmac_sha256(ByteView{}, data)), to_hex(hmac_sha256(Bytes(64), data)));
  EXPECT_EQ(to_hex(hmac_sha256(ByteView{}, ByteView{})), to_hex(hmac_sha256(Bytes(32), ByteView{})));
}

TEST(HmacTest, MultiPartInputEqualsConcatenation) {
  const Bytes key = repeated(131, 0xaa);
  const ByteView data = as_bytes(case_7_data);
  const std::string whole = tag_hex(key, data);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{64}, data.size()}) {
    const HmacSha256Tag parts = hmac_sha256(key, {data.first(cut), ByteView{}, data.subspan(cut)});
    EXPECT_EQ(to_hex(view_of(parts)), whole) << "cut at " << cut;
    EXPECT_TRUE(verify_hmac_sha256(key, {data.first(cut), data.subspan(cut)}, parts, 32));
  }
}

// A key made once gives hmac_sha256's tags, message after message: RFC 4231 cases 1-4, 6 and 7
// (short, long and hashed-first keys; data under, over and across a block).
TEST(HmacKeyTest, TagsUnderAKeyMadeOnceMatchRfc4231) {
  const std::pair<Bytes, Bytes> cases[] = {
      {repeated(20, 0x0b), to_bytes(as_bytes("Hi There"))},
      {to_bytes(as_bytes("Jefe")), to_bytes(as_bytes("what do ya want for nothing?"))},
      {repeated(20, 0xaa), repeated(50, 0xdd)},
      {hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeated(50, 0xcd)},
      {repeated(131, 0xaa),
       to_bytes(as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))},
      {repeated(131, 0xaa), to_bytes(as_bytes(case_7_data))},
  };
  const char* expected[] = {
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const HmacSha256Key key(cases[i].first);
    EXPECT_EQ(to_hex(view_of(key.tag({cases[i].second}))), expected[i]) << "case " << i;
    // Again under the same key: its hashed blocks are not used up by a tag.
    EXPECT_EQ(to_hex(view_of(key.tag({cases[i].second}))), expected[i]) << "case " << i;
  }
}

TEST(HmacKeyTest, AKeyMovedKeepsItsTagsAndMultiPartInputEqualsConcatenation) {
  HmacSha256Key first(repeated(131, 0xaa));
  const HmacSha256Key moved(std::move(first));
  const ByteView data = as_bytes(case_7_data);
  for (std::size_t cut : {std::size_t{0}, std::size_t{64}, data.size()}) {
    EXPECT_EQ(to_hex(view_of(moved.tag({data.first(cut), data.subspan(cut)}))),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
        << "cut at " << cut;
  }
}

}  // namespace
}  // namespace bulwark::crypto
