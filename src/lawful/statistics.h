// The transparency report's numbers, computed from the disclosure log's entries alone - so
// anyone who fetched the log can recompute the published report (bulwark-admin transparency
// verify does) and catch one that differs. Per jurisdiction and calendar quarter (UTC) of the
// entry's time:
//   received         orders verified and accepted for review (received entries)
//   refused          orders refused for good (refused entries, whatever the reason)
//   granted          answers that released data (answered entries with released categories)
//   not_held         answers that said some requested data is not held (answered entries
//                    with "not held" categories; one answer may count here and as granted)
//   accounts_affected  accounts whose data an answer released
// Entries whose jurisdiction could not be read (a refused, unreadable order) count under
// "unknown".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "lawful/log_entry.h"

namespace bulwark::lawful {

struct PeriodCounts {
  std::string jurisdiction;
  std::string quarter;  // "2026-Q2"
  std::uint64_t received = 0;
  std::uint64_t refused = 0;
  std::uint64_t granted = 0;
  std::uint64_t not_held = 0;
  std::uint64_t accounts_affected = 0;
  friend bool operator==(const PeriodCounts&, const PeriodCounts&) = default;
};

// Ordered by quarter, newest first, then by jurisdiction.
[[nodiscard]] std::vector<PeriodCounts> count_entries(std::span<const LogEntry> entries);

[[nodiscard]] std::string quarter_of(Seconds time);

// One period as /lawful.json publishes it: {"jurisdiction", "quarter", "received", "refused",
// "granted", "not_held", "accounts_affected"}; and back (members missing or of another type
// read as empty or 0, so that a malformed report simply fails to match the log's counts).
[[nodiscard]] nlohmann::json period_json(const PeriodCounts& counts);
[[nodiscard]] PeriodCounts period_from_json(const nlohmann::json& period);

}  // namespace bulwark::lawful
