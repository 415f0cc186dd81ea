// The public moderation report (server/moderation_report.h, server/web/moderation_page.h):
// counts grouped by month with every category and action named, newest month first, and no
// identities in either form.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/moderation_report.h"
#include "server/web/moderation_page.h"

namespace bulwark::server {
namespace {

std::vector<store::ModerationCount> sample() {
  return {{"2026-10", "reports", 6, 6, 3},
          {"2026-11", "reports", 4, 4, 2},
          {"2026-11", "rule_matches", 6, 6, 1},
          {"2026-11", "actions", 1, 4, 1},
          {"2026-11", "actions", 5, 4, 1},
          {"2026-11", "actions", 99, 4, 5}};  // an unknown action is left out
}

TEST(ModerationReportTest, JsonGroupsByMonthNewestFirstWithEveryNameAndZeros) {
  const auto json = nlohmann::json::parse(moderation_report_json(group_moderation_counts(sample())));
  ASSERT_EQ(json["months"].size(), 2u);
  const auto& november = json["months"][0];
  EXPECT_EQ(november["month"], "2026-11");
  EXPECT_EQ(november["reports"]["hate"], 2);
  EXPECT_EQ(november["reports"]["csam"], 0);
  EXPECT_EQ(november["rule_matches"]["spam"], 1);
  EXPECT_EQ(november["actions"]["remove-post"], 1);
  EXPECT_EQ(november["actions"]["reinstate"], 1);
  EXPECT_EQ(november["actions"]["suspend-account"], 0);
  EXPECT_EQ(november["actions_by_category"]["hate"]["remove-post"], 1);
  EXPECT_EQ(json["months"][1]["reports"]["spam"], 3);
  EXPECT_EQ(json["months"][1]["reports"].size(), 7u);
}

TEST(ModerationReportTest, EmptyReportIsAnEmptyListAndAPageSayingSo) {
  EXPECT_EQ(moderation_report_json({}), R"({"months":[]})");
  EXPECT_NE(web::render_moderation_page({}).find("Nothing reported yet."), std::string::npos);
}

TEST(ModerationReportTest, PageShowsEachMonthsTables) {
  const std::string page = web::render_moderation_page(group_moderation_counts(sample()));
  EXPECT_NE(page.find("<h2>2026-11</h2>"), std::string::npos);
  EXPECT_NE(page.find("Moderator actions"), std::string::npos);
  EXPECT_LT(page.find("2026-11"), page.find("2026-10"));
  EXPECT_NE(page.find("/moderation.json"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
