#include "server/web/time_format.h"

#include <algorithm>
#include <cstdio>

namespace bulwark::server::web {
namespace {

struct CivilTime {
  std::int64_t year;
  unsigned month, day, hour, minute, second, millisecond;
};

// Howard Hinnant's days_from_civil inverse (proleptic Gregorian), for days >= 0.
CivilTime civil_from_ms(std::int64_t ms) {
  ms = std::clamp<std::int64_t>(ms, 0, max_formatted_time_ms);
  const std::int64_t days = ms / 86'400'000;
  const std::int64_t in_day = ms % 86'400'000;
  const std::int64_t z = days + 719'468;
  const std::int64_t era = z / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {year,
          month,
          day,
          static_cast<unsigned>(in_day / 3'600'000),
          static_cast<unsigned>(in_day / 60'000 % 60),
          static_cast<unsigned>(in_day / 1000 % 60),
          static_cast<unsigned>(in_day % 1000)};
}

std::int64_t to_signed(std::uint64_t ms) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(ms, max_formatted_time_ms));
}

}  // namespace

std::string rfc3339_utc(std::int64_t unix_ms) {
  const CivilTime t = civil_from_ms(unix_ms);
  char buffer[40];
  const int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
                              static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute,
                              t.second, t.millisecond);
  return std::string(buffer, static_cast<std::size_t>(n));
}

std::string rfc3339_utc(std::uint64_t unix_ms) { return rfc3339_utc(to_signed(unix_ms)); }

std::string human_utc(std::uint64_t unix_ms) {
  const CivilTime t = civil_from_ms(to_signed(unix_ms));
  char buffer[40];
  const int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u %02u:%02u UTC",
                              static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute);
  return std::string(buffer, static_cast<std::size_t>(n));
}

}  // namespace bulwark::server::web
