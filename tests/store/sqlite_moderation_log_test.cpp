// The SQLite moderation log is append-only below the store's API too: its triggers refuse any
// UPDATE or DELETE, whoever issues it (store/sql/moderation.h).
#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::must;
using conformance::TempDir;

TEST(SqliteModerationLogTest, TriggersRefuseUpdateAndDelete) {
  TempDir dir;
  {
    auto store = must(open_sqlite_store(dir.path() / "store.db"));
    NewReport report;
    report.target = CaseTarget::channel;
    report.channel.bytes.fill(std::byte{7});
    report.owner.bytes.fill(std::byte{1});
    report.reporter.bytes.fill(std::byte{2});
    report.category = 6;
    report.now_ms = 1'780'000'000'000;
    const auto opened = must(store->report_content(report));
    ModerationLogEntry entry;
    entry.case_id = opened.case_id;
    entry.action = 4;
    entry.moderator = "alice";
    entry.moderator_key = Bytes(32, std::byte{4});
    entry.reason = "not spam";
    entry.created_ms = report.now_ms;
    entry.record = Bytes(100, std::byte{1});
    entry.signature = Bytes(64, std::byte{2});
    entry.prev_hash = Bytes(32, std::byte{0});
    entry.hash = Bytes(32, std::byte{3});
    must(store->append_moderation_action(entry));
  }
  auto db = must(Db::open(dir.path() / "store.db", std::chrono::milliseconds{1000}));
  auto update = db->execute(Sql{"tamper", "UPDATE moderation_log SET reason = 'changed'"});
  ASSERT_FALSE(update);
  auto remove = db->execute(Sql{"tamper", "DELETE FROM moderation_log"});
  ASSERT_FALSE(remove);
  auto query = must(db->prepare(Sql{"read", "SELECT reason FROM moderation_log"}));
  ASSERT_TRUE(must(query.step()));
  EXPECT_EQ(query.text_at(0), "not spam");
}

}  // namespace
}  // namespace bulwark::store::sqlite
