#include "lawful/statistics.h"

#include <algorithm>
#include <map>
#include <utility>

namespace bulwark::lawful {

std::string quarter_of(Seconds time) {
  using namespace std::chrono;
  const year_month_day date(floor<days>(time));
  const unsigned quarter = (static_cast<unsigned>(date.month()) - 1) / 3 + 1;
  return std::to_string(static_cast<int>(date.year())) + "-Q" + std::to_string(quarter);
}

std::vector<PeriodCounts> count_entries(std::span<const LogEntry> entries) {
  std::map<std::pair<std::string, std::string>, PeriodCounts> periods;
  for (const LogEntry& entry : entries) {
    // Approvals and refused attempts are steps on an order already counted as received.
    if (entry.kind == EntryKind::approval || entry.kind == EntryKind::attempt_refused ||
        entry.kind == EntryKind::authority)
      continue;
    const std::string jurisdiction = entry.jurisdiction.empty() ? "unknown" : entry.jurisdiction;
    const std::string quarter = quarter_of(entry.time);
    PeriodCounts& counts = periods[{quarter, jurisdiction}];
    counts.jurisdiction = jurisdiction;
    counts.quarter = quarter;
    switch (entry.kind) {
      case EntryKind::received:
        ++counts.received;
        break;
      case EntryKind::refused:
        ++counts.refused;
        break;
      case EntryKind::answered:
        if (!entry.categories.empty()) {
          ++counts.granted;
          counts.accounts_affected += entry.account_count;
        }
        if (!entry.not_held.empty()) ++counts.not_held;
        break;
      case EntryKind::approval:
      case EntryKind::attempt_refused:
      case EntryKind::authority:
        break;
    }
  }
  std::vector<PeriodCounts> out;
  for (auto& [key, counts] : periods) out.push_back(std::move(counts));
  // Newest quarter first; "YYYY-Qn" sorts as text.
  std::stable_sort(out.begin(), out.end(), [](const PeriodCounts& a, const PeriodCounts& b) {
    return a.quarter > b.quarter;
  });
  return out;
}

nlohmann::json period_json(const PeriodCounts& counts) {
  return nlohmann::json{{"jurisdiction", counts.jurisdiction},
                        {"quarter", counts.quarter},
                        {"received", counts.received},
                        {"refused", counts.refused},
                        {"granted", counts.granted},
                        {"not_held", counts.not_held},
                        {"accounts_affected", counts.accounts_affected}};
}

PeriodCounts period_from_json(const nlohmann::json& period) {
  if (!period.is_object()) return {};
  const auto text = [&](const char* key) {
    return period.contains(key) && period[key].is_string() ? period[key].get<std::string>()
                                                           : std::string();
  };
  const auto count = [&](const char* key) {
    return period.contains(key) && period[key].is_number_unsigned()
               ? period[key].get<std::uint64_t>()
               : std::uint64_t{0};
  };
  return PeriodCounts{text("jurisdiction"),      text("quarter"),  count("received"),
                      count("refused"),          count("granted"), count("not_held"),
                      count("accounts_affected")};
}

}  // namespace bulwark::lawful
