// Times on the web preview (server/web/time_format.h).
#include <gtest/gtest.h>

#include <cstdint>

#include "server/web/time_format.h"

namespace bulwark::server::web {
namespace {

TEST(WebTimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(rfc3339_utc(std::int64_t{0}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_utc(std::uint64_t{1714566896789}), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(rfc3339_utc(std::int64_t{951782400000}), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(rfc3339_utc(std::int64_t{4107542399999}), "2100-02-28T23:59:59.999Z");
  EXPECT_EQ(rfc3339_utc(std::int64_t{4107542400000}), "2100-03-01T00:00:00.000Z");  // not leap
  EXPECT_EQ(human_utc(1714566896789), "2024-05-01 12:34 UTC");
}

TEST(WebTimeFormatTest, ClampsToYearsItCanWrite) {
  EXPECT_EQ(rfc3339_utc(std::int64_t{-1}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_utc(INT64_MIN), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_utc(INT64_MAX), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(rfc3339_utc(UINT64_MAX), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(rfc3339_utc(max_formatted_time_ms), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(human_utc(UINT64_MAX), "9999-12-31 23:59 UTC");
}

}  // namespace
}  // namespace bulwark::server::web
