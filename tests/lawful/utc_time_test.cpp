// Times in orders (lawful/utc_time.h): one spelling per instant.
#include "lawful/utc_time.h"

#include <gtest/gtest.h>

namespace bulwark::lawful {
namespace {

TEST(UtcTimeTest, ParsesAndFormatsRfc3339UtcToTheSecond) {
  auto time = parse_utc_time("2026-06-01T00:00:00Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(time->time_since_epoch().count(), 1'780'272'000);
  EXPECT_EQ(format_utc_time(*time), "2026-06-01T00:00:00Z");
  auto leap_day = parse_utc_time("2028-02-29T23:59:59Z");
  ASSERT_TRUE(leap_day);
  EXPECT_EQ(format_utc_time(*leap_day), "2028-02-29T23:59:59Z");
  EXPECT_EQ(format_utc_time(Seconds{}), "1970-01-01T00:00:00Z");
}

TEST(UtcTimeTest, EveryOtherSpellingIsRefused) {
  for (const char* text :
       {"2026-06-01T00:00:00", "2026-06-01T00:00:00+00:00", "2026-06-01T00:00:00.5Z",
        "2026-06-01 00:00:00Z", "2026-6-01T00:00:00Z", "2027-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-06-31T00:00:00Z", "2026-06-01T24:00:00Z",
        "2026-06-01T00:60:00Z", "2026-06-01T00:00:60Z", "1969-12-31T23:59:59Z",
        "2026-06-01t00:00:00z", "+026-06-01T00:00:00Z", ""}) {
    auto time = parse_utc_time(text);
    EXPECT_FALSE(time) << text;
    if (!time) {
      EXPECT_EQ(time.error().code, Errc::invalid_encoding);
    }
  }
}

}  // namespace
}  // namespace bulwark::lawful
