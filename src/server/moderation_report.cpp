#include "server/moderation_report.h"

#include <nlohmann/json.hpp>

#include "moderation/action.h"
#include "moderation/category.h"

namespace bulwark::server {
namespace {

std::string category_text(std::uint8_t number) {
  auto category = moderation::category_from_number(number);
  return category ? std::string(moderation::category_name(*category)) : "other";
}

web::MonthCounts empty_month() {
  web::MonthCounts month;
  for (moderation::Category category : moderation::all_categories) {
    const std::string name(moderation::category_name(category));
    month.reports[name] = 0;
    month.rule_matches[name] = 0;
  }
  for (moderation::Action action : moderation::all_actions)
    month.actions[std::string(moderation::action_name(action))] = 0;
  return month;
}

}  // namespace

web::ModerationReport group_moderation_counts(const std::vector<store::ModerationCount>& counts) {
  web::ModerationReport report;
  for (const store::ModerationCount& count : counts) {
    auto [month, added] = report.try_emplace(count.month);
    if (added) month->second = empty_month();
    const std::string category = category_text(count.category);
    if (count.kind == "reports") {
      month->second.reports[category] += count.count;
    } else if (count.kind == "rule_matches") {
      month->second.rule_matches[category] += count.count;
    } else if (count.kind == "actions") {
      auto action = moderation::action_from_number(count.code);
      if (!action) continue;
      const std::string name(moderation::action_name(*action));
      month->second.actions[name] += count.count;
      month->second.actions_by_category[category][name] += count.count;
    }
  }
  return report;
}

std::string moderation_report_json(const web::ModerationReport& report) {
  using Json = nlohmann::ordered_json;
  Json months = Json::array();
  for (auto month = report.rbegin(); month != report.rend(); ++month) {
    Json by_category = Json::object();
    for (const auto& [category, actions] : month->second.actions_by_category)
      by_category[category] = actions;
    months.push_back({{"month", month->first},
                      {"reports", month->second.reports},
                      {"rule_matches", month->second.rule_matches},
                      {"actions", month->second.actions},
                      {"actions_by_category", std::move(by_category)}});
  }
  return Json{{"months", std::move(months)}}.dump(-1, ' ', false,
                                                 Json::error_handler_t::replace);
}

}  // namespace bulwark::server
