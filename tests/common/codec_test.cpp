#include <gtest/gtest.h>

#include "common/reader.h"
#include "common/writer.h"

namespace bulwark {
namespace {

TEST(ReaderTest, ReadsBigEndianIntegersInOrder) {
  const Bytes input = *from_hex("01" "0203" "04050607" "08090a0b0c0d0e0f" "aabb");
  Reader reader(input);
  EXPECT_EQ(*reader.u8(), 0x01);
  EXPECT_EQ(*reader.u16_be(), 0x0203);
  EXPECT_EQ(*reader.u32_be(), 0x04050607u);
  EXPECT_EQ(*reader.u64_be(), 0x08090a0b0c0d0e0fULL);
  EXPECT_EQ(to_hex(*reader.bytes(2)), "aabb");
  EXPECT_TRUE(reader.at_end());
  EXPECT_TRUE(reader.expect_end());
}

TEST(ReaderTest, ReadingPastTheEndIsTruncatedAndConsumesNothing) {
  const Bytes input = *from_hex("0102");
  Reader reader(input);
  EXPECT_EQ(reader.u32_be().error().code, Errc::truncated);
  EXPECT_EQ(reader.offset(), 0u);
  EXPECT_EQ(reader.bytes(3).error().code, Errc::truncated);
  EXPECT_EQ(*reader.u16_be(), 0x0102);
  EXPECT_EQ(reader.u8().error().code, Errc::truncated);
}

TEST(ReaderTest, ReadsFixedSizeArraysAndStopsAtTheEnd) {
  const Bytes input = *from_hex("0a0b0c");
  Reader reader(input);
  const std::array<std::byte, 2> expected{std::byte{0x0a}, std::byte{0x0b}};
  EXPECT_EQ(*reader.array<2>(), expected);
  EXPECT_EQ(reader.array<2>().error().code, Errc::truncated);
  EXPECT_EQ(reader.offset(), 2u);
}

TEST(ReaderTest, HugeLengthRequestFailsWithoutAllocating) {
  const Bytes input(4);
  Reader reader(input);
  EXPECT_EQ(reader.bytes(SIZE_MAX).error().code, Errc::truncated);
}

TEST(ReaderTest, ExpectEndReportsTrailingData) {
  const Bytes input = *from_hex("0102");
  Reader reader(input);
  ASSERT_TRUE(reader.u8());
  EXPECT_EQ(reader.expect_end().error().code, Errc::trailing_data);
  EXPECT_EQ(reader.rest().size(), 1u);
  EXPECT_TRUE(reader.expect_end());
}

TEST(WriterTest, WritesBigEndianIntegersAndBytes) {
  Writer writer(64);
  writer.u8(0x01);
  writer.u16_be(0x0203);
  writer.u32_be(0x04050607);
  writer.u64_be(0x08090a0b0c0d0e0fULL);
  writer.bytes(as_bytes("AB"));
  auto out = std::move(writer).finish();
  ASSERT_TRUE(out);
  EXPECT_EQ(to_hex(*out), "0102030405060708090a0b0c0d0e0f4142");
}

TEST(WriterTest, OverflowIsStickyAndReportedAtFinish) {
  Writer writer(3);
  writer.u16_be(1);
  writer.u16_be(2);  // would make 4 bytes
  writer.u8(3);      // ignored after the failure, though it would fit
  EXPECT_TRUE(writer.failed());
  EXPECT_EQ(writer.size(), 2u);
  EXPECT_EQ(std::move(writer).finish().error().code, Errc::capacity_exceeded);
}

TEST(WriterTest, ExactlyFullIsFine) {
  Writer writer(2);
  writer.bytes(as_bytes("xy"));
  EXPECT_TRUE(std::move(writer).finish());
}

}  // namespace
}  // namespace bulwark
