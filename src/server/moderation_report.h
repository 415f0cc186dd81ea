// The public moderation report's data (server/web/moderation_page.h): the store's monthly
// counts grouped by month, with every category and action named, zeros included, so that the
// JSON has the same shape every month.
#pragma once

#include <string>
#include <vector>

#include "server/web/moderation_page.h"
#include "store/moderation_records.h"

namespace bulwark::server {

[[nodiscard]] web::ModerationReport group_moderation_counts(
    const std::vector<store::ModerationCount>& counts);

// /moderation.json: {"months": [{"month": "YYYY-MM", "reports": {...}, "rule_matches": {...},
// "actions": {...}, "actions_by_category": {...}}, ...]}, newest month first.
[[nodiscard]] std::string moderation_report_json(const web::ModerationReport& report);

}  // namespace bulwark::server
