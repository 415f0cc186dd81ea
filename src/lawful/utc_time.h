// Times in orders and disclosure records: RFC 3339 in UTC to the second,
// "2026-06-01T00:00:00Z", one spelling per instant so that a signed document has one reading.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::lawful {

using Seconds = std::chrono::sys_seconds;

// Errc::invalid_encoding for anything but exactly "YYYY-MM-DDTHH:MM:SSZ" naming a real instant
// (no leap second, no offset, no fraction), years 1970-9999.
[[nodiscard]] Result<Seconds> parse_utc_time(std::string_view text);
[[nodiscard]] std::string format_utc_time(Seconds time);

}  // namespace bulwark::lawful
