// Times on the web preview: RFC 3339 / ISO 8601 in UTC for <time datetime> and Atom, and a
// short human form for the page. Times come from signers' clocks and can be anything, so they
// are clamped to years 1970-9999, the range both formats can write with four-digit years.
#pragma once

#include <cstdint>
#include <string>

namespace bulwark::server::web {

inline constexpr std::int64_t max_formatted_time_ms =
    253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

// "2024-05-01T12:34:56.789Z".
[[nodiscard]] std::string rfc3339_utc(std::int64_t unix_ms);
[[nodiscard]] std::string rfc3339_utc(std::uint64_t unix_ms);

// "2024-05-01 12:34 UTC".
[[nodiscard]] std::string human_utc(std::uint64_t unix_ms);

}  // namespace bulwark::server::web
