#include "server/phone.h"

#include <string>

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

void expect_normalized(std::string_view text, std::string_view e164) {
  const auto phone = normalize_phone(text);
  ASSERT_TRUE(phone) << text << ": " << phone.error().describe();
  EXPECT_EQ(*phone, e164) << text;
}

void expect_refused(std::string_view text) {
  const auto phone = normalize_phone(text);
  ASSERT_FALSE(phone) << text << " was accepted as " << *phone;
  EXPECT_EQ(phone.error().code, Errc::invalid_argument) << text;
}

TEST(PhoneTest, WrittenFormsOfOneNumberNormalizeToOneE164) {
  expect_normalized("+12015550123", "+12015550123");
  expect_normalized("+1 (201) 555-0123", "+12015550123");
  expect_normalized("+1 201.555.0123", "+12015550123");
  expect_normalized("  +1-201-555-0123\t", "+12015550123");
}

// Found by phone_fuzz: libphonenumber's metadata accepts this 16-digit German number, but
// E.164 (and the store) allow at most 15 digits.
TEST(PhoneTest, MoreThanFifteenDigitsIsRefused) {
  expect_refused("0049  0 3748680049  02 .37");
  expect_refused("+49 3748680049 0237");
}

TEST(PhoneTest, DoubleZeroPrefixMeansPlus) {
  expect_normalized("001 201 555 0123", "+12015550123");
  expect_normalized("0049 151 1234 5678", "+4915112345678");
  expect_normalized("0041 44 668 18 00", "+41446681800");
}

TEST(PhoneTest, FictionalUsNumbersAreValid) {
  // NANP reserves 555-0100..0199 for fiction; libphonenumber 8.12 deems them valid, and the
  // tests and scripts of this repository register with them.
  for (const char* number :
       {"+12015550100", "+12015550123", "+12015550124", "+12015550199", "+12025550123"}) {
    expect_normalized(number, number);
  }
}

TEST(PhoneTest, OtherCountriesAreAccepted) {
  expect_normalized("+49 30 123456", "+4930123456");
  expect_normalized("+44 20 7946 0018", "+442079460018");
  expect_normalized("+33 6 12 34 56 78", "+33612345678");
}

TEST(PhoneTest, NationalFormIsRefused) {
  expect_refused("2015550123");
  expect_refused("(201) 555-0123");
  expect_refused("030 123456");
  expect_refused("011 1 201 555 0123");  // the US exit code is not international form
  const auto phone = normalize_phone("2015550123");
  EXPECT_NE(phone.error().context.find("international"), std::string::npos);
}

TEST(PhoneTest, InvalidNumbersAreRefused) {
  expect_refused("+15555550123");   // area code 555 does not exist
  expect_refused("+447700900123");  // Ofcom's drama range is not in the metadata as valid
  expect_refused("+1201555012");    // a digit short
  expect_refused("+120155501234");  // a digit long
  expect_refused("+999 123456");    // no such country code
  expect_refused("+0 123456");
  expect_refused("00");
  expect_refused("+");
  expect_refused("");
  const auto phone = normalize_phone("+15555550123");
  EXPECT_EQ(phone.error().context, "not a valid phone number");
}

TEST(PhoneTest, LettersExtensionsAndOtherSymbolsAreRefused) {
  expect_refused("+1 800 FLOWERS");
  expect_refused("+12015550123abc");
  expect_refused("+1 201 555 0123 ext 5");
  expect_refused("+1 201 555 0123;ext=5");
  expect_refused("++12015550123");
  expect_refused("tel:+12015550123");
  expect_refused("+1 201 555 0123\n");
  expect_refused(
      "+1\xc2\xa0"
      "2015550123");
}

TEST(PhoneTest, OverlongInputIsRefused) {
  expect_refused("+1" + std::string(100, ' ') + "2015550123");
}

}  // namespace
}  // namespace bulwark::server
