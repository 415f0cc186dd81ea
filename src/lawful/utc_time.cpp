#include "lawful/utc_time.h"

#include <cstdio>

namespace bulwark::lawful {
namespace {

// The number in text[at, at + digits), or -1 unless every character is an ASCII digit.
int digits_at(std::string_view text, std::size_t at, std::size_t digits) {
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<Seconds> parse_utc_time(std::string_view text) {
  using namespace std::chrono;
  const auto refuse = [&] {
    return fail(Errc::invalid_encoding,
                "a time must be written YYYY-MM-DDTHH:MM:SSZ (UTC, to the second)");
  };
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z')
    return refuse();
  const int y = digits_at(text, 0, 4);
  const int mo = digits_at(text, 5, 2);
  const int d = digits_at(text, 8, 2);
  const int h = digits_at(text, 11, 2);
  const int mi = digits_at(text, 14, 2);
  const int s = digits_at(text, 17, 2);
  if (y < 1970 || mo < 1 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return refuse();
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return refuse();
  return Seconds{sys_days(date)} + hours(h) + minutes(mi) + seconds(s);
}

std::string format_utc_time(Seconds time) {
  using namespace std::chrono;
  const sys_days day_start = floor<days>(time);
  const year_month_day date(day_start);
  const hh_mm_ss clock(time - day_start);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

}  // namespace bulwark::lawful
