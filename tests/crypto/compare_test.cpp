// Tests for constant_time_equal: the one comparison for MACs, tags and secrets.
#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/compare.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

TEST(CompareTest, EqualBytesAreEqual) {
  EXPECT_TRUE(constant_time_equal(hex("00112233445566778899aabbccddeeff"),
                                  hex("00112233445566778899aabbccddeeff")));
}

TEST(CompareTest, DifferentLastByteIsNotEqual) {
  EXPECT_FALSE(constant_time_equal(hex("00112233445566778899aabbccddeeff"),
                                   hex("00112233445566778899aabbccddeefe")));
}

TEST(CompareTest, DifferentFirstByteIsNotEqual) {
  EXPECT_FALSE(constant_time_equal(hex("00112233445566778899aabbccddeeff"),
                                   hex("80112233445566778899aabbccddeeff")));
}

// A prefix is not equal to the whole: lengths are compared too, whichever side is shorter.
TEST(CompareTest, DifferentLengthsAreNotEqual) {
  const Bytes whole = hex("00112233445566778899aabbccddeeff");
  EXPECT_FALSE(constant_time_equal(whole, ByteView(whole).first(15)));
  EXPECT_FALSE(constant_time_equal(ByteView(whole).first(15), whole));
  EXPECT_FALSE(constant_time_equal(whole, ByteView{}));
}

TEST(CompareTest, BothEmptyAreEqual) { EXPECT_TRUE(constant_time_equal(ByteView{}, ByteView{})); }

}  // namespace
}  // namespace bulwark::crypto
