// Account ids as UUID text (client/uuid.h): the mapping between contact rows and protocol
// addresses.
#include "client/uuid.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace bulwark::client {
namespace {

using bulwark::testing::hex;

TEST(UuidTest, FormatsLowercaseWithDashesAt8And4And4And4And12) {
  auto text = format_uuid(hex("00112233445566778899aabbccddeeff"));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(UuidTest, ParseInvertsFormat) {
  const Bytes id = hex("f81d4fae7dec11d0a76500a0c91e6bf6");
  auto parsed = parse_uuid(format_uuid(id).value());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, id);
}

TEST(UuidTest, ParseAcceptsUppercaseDigits) {
  auto parsed = parse_uuid("F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, hex("f81d4fae7dec11d0a76500a0c91e6bf6"));
}

TEST(UuidTest, FormatRejectsAnythingButSixteenBytes) {
  EXPECT_EQ(format_uuid(Bytes(15)).error().code, Errc::invalid_length);
  EXPECT_EQ(format_uuid(Bytes(17)).error().code, Errc::invalid_length);
  EXPECT_EQ(format_uuid(Bytes()).error().code, Errc::invalid_length);
}

TEST(UuidTest, ParseRejectsMalformedText) {
  for (const char* bad : {
           "", "alice",
           "f81d4fae7dec11d0a76500a0c91e6bf6",       // no dashes
           "f81d4fae-7dec-11d0-a765-00a0c91e6bf",    // one digit short
           "f81d4fae-7dec-11d0-a765-00a0c91e6bf66",  // one digit long
           "f81d4fa-e7dec-11d0-a765-00a0c91e6bf6",   // misplaced dash
           "g81d4fae-7dec-11d0-a765-00a0c91e6bf6",   // not hex
           "{81d4fae-7dec-11d0-a765-00a0c91e6bf}",   // braces
       }) {
    auto parsed = parse_uuid(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, Errc::invalid_encoding) << bad;
  }
}

TEST(UuidTest, ProtocolAddressNamesTheAccountAndKeepsTheDevice) {
  auto address = protocol_address(hex("00112233445566778899aabbccddeeff"), DeviceId(7));
  ASSERT_TRUE(address);
  EXPECT_EQ(address->name, "00112233-4455-6677-8899-aabbccddeeff");
  EXPECT_EQ(address->device, DeviceId(7));
  EXPECT_FALSE(protocol_address(Bytes(3), DeviceId(1)));
}

}  // namespace
}  // namespace bulwark::client
