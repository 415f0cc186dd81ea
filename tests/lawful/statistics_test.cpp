// The transparency report's numbers (lawful/statistics.h), from entries alone.
#include "lawful/statistics.h"

#include <gtest/gtest.h>

#include "lawful/support/test_log.h"

namespace bulwark::lawful {
namespace {

using testing::received_entry;

TEST(StatisticsTest, CountsPerJurisdictionAndQuarter) {
  std::vector<LogEntry> entries;
  entries.push_back(received_entry(1, "GR"));
  entries.push_back(received_entry(2, "GR"));
  entries.push_back(received_entry(3, "DE"));
  LogEntry approval = received_entry(1, "GR");
  approval.kind = EntryKind::approval;
  entries.push_back(approval);  // not counted
  LogEntry answered = received_entry(1, "GR");
  answered.kind = EntryKind::answered;
  answered.not_held = {"message_content"};
  answered.account_count = 3;
  entries.push_back(answered);
  LogEntry not_held_only = received_entry(2, "GR");
  not_held_only.kind = EntryKind::answered;
  not_held_only.categories.clear();
  not_held_only.not_held = {"contacts"};
  not_held_only.account_count = 0;
  entries.push_back(not_held_only);
  LogEntry unreadable;
  unreadable.kind = EntryKind::refused;
  unreadable.time = *parse_utc_time("2026-07-01T00:00:00Z");
  entries.push_back(unreadable);

  const std::vector<PeriodCounts> counts = count_entries(entries);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0], (PeriodCounts{"unknown", "2026-Q3", 0, 1, 0, 0, 0}));
  EXPECT_EQ(counts[1], (PeriodCounts{"DE", "2026-Q2", 1, 0, 0, 0, 0}));
  EXPECT_EQ(counts[2], (PeriodCounts{"GR", "2026-Q2", 2, 0, 1, 2, 3}));
}

TEST(StatisticsTest, QuartersFollowTheCalendar) {
  EXPECT_EQ(quarter_of(*parse_utc_time("2026-01-01T00:00:00Z")), "2026-Q1");
  EXPECT_EQ(quarter_of(*parse_utc_time("2026-03-31T23:59:59Z")), "2026-Q1");
  EXPECT_EQ(quarter_of(*parse_utc_time("2026-04-01T00:00:00Z")), "2026-Q2");
  EXPECT_EQ(quarter_of(*parse_utc_time("2026-12-31T23:59:59Z")), "2026-Q4");
}

}  // namespace
}  // namespace bulwark::lawful
