#include "common/result.h"

#include <gtest/gtest.h>

#include "common/ids.h"

namespace bulwark {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return fail(Errc::invalid_encoding, "not a digit");
  return c - '0';
}

Result<int> sum_of_digits(char a, char b) {
  const int x = BULWARK_TRY(parse_digit(a));
  const int y = BULWARK_TRY(parse_digit(b));
  return x + y;
}

Result<void> check_digit(char c) {
  BULWARK_TRY(parse_digit(c));
  return {};
}

Result<void> check_both(char a, char b) {
  BULWARK_TRY(check_digit(a));
  BULWARK_TRY(check_digit(b));
  return {};
}

TEST(ResultTest, TryYieldsTheValueOnSuccess) { EXPECT_EQ(*sum_of_digits('3', '4'), 7); }

TEST(ResultTest, TryPropagatesTheFirstError) {
  auto result = sum_of_digits('x', '4');
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_encoding);
  EXPECT_EQ(result.error().describe(), "invalid_encoding: not a digit");
}

TEST(ResultTest, TryWorksForVoidResults) {
  EXPECT_TRUE(check_both('1', '2'));
  EXPECT_EQ(check_both('1', '?').error().code, Errc::invalid_encoding);
}

TEST(ResultTest, EveryErrorCodeHasAName) {
  for (Errc code : {Errc::invalid_argument, Errc::invalid_length, Errc::invalid_encoding,
                    Errc::truncated, Errc::trailing_data, Errc::capacity_exceeded,
                    Errc::auth_failed, Errc::weak_key, Errc::internal,
                    Errc::invalid_message, Errc::duplicate_message, Errc::untrusted_identity,
                    Errc::session_not_found, Errc::invalid_key_id, Errc::not_found,
                    Errc::conflict, Errc::storage, Errc::rate_limited, Errc::network,
                    Errc::unavailable, Errc::invalid_proof}) {
    EXPECT_NE(errc_name(code), "unknown");
  }
}

TEST(ResultDeathTest, ContractViolationAborts) {
  EXPECT_DEATH(contract_violation("broken invariant"), "contract violation: broken invariant");
}

TEST(StrongIdTest, IdsCompareByValueAndDoNotMix) {
  static_assert(!std::is_convertible_v<std::uint32_t, DeviceId>);
  static_assert(!std::is_convertible_v<DeviceId, PreKeyId>);
  EXPECT_EQ(DeviceId{3}, DeviceId{3});
  EXPECT_LT(DeviceId{2}, DeviceId{3});
  EXPECT_EQ(DeviceId{7}.to_string(), "7");
  EXPECT_EQ(std::hash<DeviceId>{}(DeviceId{9}), std::hash<std::uint32_t>{}(9));
}

}  // namespace
}  // namespace bulwark
