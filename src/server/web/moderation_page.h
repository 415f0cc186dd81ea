// The public moderation report (docs/MODERATION.md "Public report"), /moderation (HTML) and
// /moderation.json: per UTC month, how many reports arrived per category, how many posts the
// policy rules matched per category, and how many actions moderators took per action and per
// category. Counts only: no content, no reporter, no account, no channel.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace bulwark::server::web {

struct MonthCounts {
  std::map<std::string, std::uint64_t> reports;       // category -> count
  std::map<std::string, std::uint64_t> rule_matches;  // category -> count
  std::map<std::string, std::uint64_t> actions;       // action -> count
  std::map<std::string, std::map<std::string, std::uint64_t>> actions_by_category;
};

// Month ("YYYY-MM") -> counts; rendered newest first.
using ModerationReport = std::map<std::string, MonthCounts>;

[[nodiscard]] std::string render_moderation_page(const ModerationReport& report);

}  // namespace bulwark::server::web
