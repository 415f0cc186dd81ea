#include "common/bytes.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

TEST(BytesTest, HexRoundTripsEveryByteValue) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::byte>(i));
  const std::string text = to_hex(all);
  EXPECT_EQ(text.substr(0, 8), "00010203");
  auto back = from_hex(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
}

TEST(BytesTest, HexAcceptsUpperCase) {
  auto bytes = from_hex("ABcd");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(to_hex(*bytes), "abcd");
}

TEST(BytesTest, HexRejectsOddLengthAndNonHexDigits) {
  EXPECT_EQ(from_hex("abc").error().code, Errc::invalid_encoding);
  EXPECT_EQ(from_hex("zz").error().code, Errc::invalid_encoding);
  EXPECT_EQ(from_hex("0g").error().code, Errc::invalid_encoding);
}

TEST(BytesTest, ConcatJoinsPartsInOrder) {
  const Bytes joined = concat({as_bytes("ab"), as_bytes(""), as_bytes("cd")});
  EXPECT_EQ(joined, to_bytes(as_bytes("abcd")));
}

TEST(BytesTest, ToArrayChecksTheLength) {
  EXPECT_TRUE(to_array<2>(as_bytes("ab")));
  EXPECT_EQ(to_array<3>(as_bytes("ab")).error().code, Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark
