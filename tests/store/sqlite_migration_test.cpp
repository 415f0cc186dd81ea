// The SQLite store's versioned migrations (store/sqlite/migrations.h).
#include "store/sqlite/migrations.h"

#include <array>

#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::FailCounter;
using conformance::must;
using conformance::TempDir;

std::unique_ptr<Db> raw(const std::filesystem::path& file) {
  return must(Db::open(file, std::chrono::milliseconds{1000}));
}

std::int64_t count(Db& db, std::string_view sql) {
  auto query = must(db.prepare(Sql{"count", sql}));
  EXPECT_TRUE(must(query.step()));
  return query.int64_at(0);
}

// Whether the schema has a table or index of that name.
bool has_object(Db& db, std::string_view type, std::string_view name) {
  auto query = must(db.prepare(
      Sql{"find schema object", "SELECT COUNT(*) FROM sqlite_master WHERE type = ? AND name = ?"}));
  query.bind(type).bind(name);
  EXPECT_TRUE(must(query.step()));
  return query.int64_at(0) == 1;
}

bool has_table(Db& db, std::string_view name) { return has_object(db, "table", name); }
bool has_index(Db& db, std::string_view name) { return has_object(db, "index", name); }

std::int64_t latest() { return sqlite_migrations().back().version; }

constexpr std::array<std::string_view, 1> create_a{"CREATE TABLE a (x BIGINT NOT NULL)"};
constexpr std::array<std::string_view, 2> fill_a{"INSERT INTO a (x) VALUES (1)",
                                                 "CREATE TABLE b (y TEXT NOT NULL)"};
constexpr std::array<std::string_view, 2> broken{"CREATE TABLE c (z BIGINT NOT NULL)",
                                                 "CREATE TABLE nonsense ("};

TEST(SqliteMigrationTest, FreshDatabaseGetsTheLatestVersion) {
  TempDir dir;
  must(open_sqlite_store(dir.path() / "store.db"));
  auto db = raw(dir.path() / "store.db");
  EXPECT_EQ(must(schema_version(*db)), latest());
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM schema_version"), latest());
  for (std::string_view table : {"accounts", "devices", "pre_keys", "kyber_pre_keys", "envelopes",
                                 "counters", "verification_codes", "ip_sightings", "kt_pending",
                                 "kt_entries", "kt_versions", "kt_cosignatures"}) {
    EXPECT_TRUE(has_table(*db, table)) << table;
  }
  EXPECT_TRUE(has_index(*db, "kt_pending_by_label"));
  EXPECT_TRUE(has_index(*db, "kt_versions_by_label"));
}

TEST(SqliteMigrationTest, ReopeningIsIdempotentAndKeepsTheData) {
  TempDir dir;
  {
    auto store = must(open_sqlite_store(dir.path() / "store.db"));
    must(store->register_account(conformance::new_account(1), conformance::new_device(1)));
  }
  must(open_sqlite_store(dir.path() / "store.db"));
  {
    auto store = must(open_sqlite_store(dir.path() / "store.db"));
    EXPECT_TRUE(must(store->account(conformance::account_id(1))));
  }  // the store holds the file exclusively while open
  auto db = raw(dir.path() / "store.db");
  EXPECT_EQ(must(schema_version(*db)), latest());
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM schema_version"), latest());
}

TEST(SqliteMigrationTest, DatabaseFromANewerBinaryIsRefusedUntouched) {
  TempDir dir;
  must(open_sqlite_store(dir.path() / "store.db"));
  {
    auto db = raw(dir.path() / "store.db");
    auto bump = must(db->prepare(Sql{"bump", "INSERT INTO schema_version (version) VALUES (?)"}));
    bump.bind(latest() + 1);
    must(bump.finish());
  }
  auto refused = open_sqlite_store(dir.path() / "store.db");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::storage);
  EXPECT_NE(refused.error().context.find("newer than this binary"), std::string::npos);
  auto db = raw(dir.path() / "store.db");
  EXPECT_EQ(must(schema_version(*db)), latest() + 1);
}

TEST(SqliteMigrationTest, PendingMigrationsApplyInOrderAndOnlyOnce) {
  TempDir dir;
  auto db = raw(dir.path() / "test.db");
  const std::array<Migration, 1> first{Migration{1, create_a}};
  must(migrate(*db, first));
  EXPECT_EQ(must(schema_version(*db)), 1);
  // Version 1 would fail if it ran again (table a exists); version 2 needs its table.
  const std::array<Migration, 2> both{Migration{1, create_a}, Migration{2, fill_a}};
  must(migrate(*db, both));
  must(migrate(*db, both));
  EXPECT_EQ(must(schema_version(*db)), 2);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM a"), 1);
  EXPECT_TRUE(has_table(*db, "b"));
}

TEST(SqliteMigrationTest, FailedMigrationChangesNothing) {
  TempDir dir;
  auto db = raw(dir.path() / "test.db");
  const std::array<Migration, 1> first{Migration{1, create_a}};
  must(migrate(*db, first));
  const std::array<Migration, 3> failing{Migration{1, create_a}, Migration{2, fill_a},
                                         Migration{3, broken}};
  auto result = migrate(*db, failing);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::storage);
  EXPECT_EQ(must(schema_version(*db)), 1);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM a"), 0);
  EXPECT_FALSE(has_table(*db, "b"));
  EXPECT_FALSE(has_table(*db, "c"));
}

TEST(SqliteMigrationTest, MigrationFailingAtAnyStatementLeavesAnEmptyDatabase) {
  TempDir dir;
  FailCounter faults;
  for (int n = 0;; ++n) {
    ASSERT_LT(n, 200);
    const auto file = dir.path() / ("db-" + std::to_string(n));
    auto db = raw(file);
    db->set_fault_hook([&] { return faults.should_fail(); });
    faults.arm(n);
    const bool migrated = static_cast<bool>(migrate(*db, sqlite_migrations()));
    const bool fired = faults.fired();
    faults.arm(std::nullopt);
    if (!fired) {
      EXPECT_TRUE(migrated);
      EXPECT_EQ(must(schema_version(*db)), latest());
      EXPECT_GT(n, static_cast<int>(sqlite_migrations()[0].statements.size()));
      break;
    }
    EXPECT_FALSE(migrated);
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM sqlite_master"), 0) << "n = " << n;
  }
}

// A database written by a version-1 binary, with an envelope queued, opens under this one: the
// envelope is still there for its device, the index by id is gone, and deleting by queue
// position works on the old rows.
TEST(SqliteMigrationTest, VersionOneDatabaseUpgradesKeepingQueuedEnvelopes) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(1)));
    for (std::string_view sql : {
             "INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', NULL, x'05', 1, 0, 2)",
             "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 1, 7, x'aa', 'phone', 0, 1, x'05', x'00', 1, "
             "x'08', x'00')",
             "UPDATE counters SET value = 1 WHERE name = 'envelope_seq'",
             "INSERT INTO envelopes VALUES (1, x'02020202020202020202020202020202', "
             "x'01010101010101010101010101010101', 1, x'03030303030303030303030303030303', 1, 1, x'c0ffee', 5, 4, 9999999999999)"}) {
      must(db->execute(Sql{"version 1 data", sql}));
    }
    ASSERT_TRUE(has_index(*db, "envelopes_by_id"));
  }
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations()));
    EXPECT_EQ(must(schema_version(*db)), latest());
    EXPECT_FALSE(has_index(*db, "envelopes_by_id"));
    EXPECT_TRUE(has_index(*db, "envelopes_by_queue"));
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM envelopes"), 1);
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  auto store = must(open_sqlite_store(file));
  const DeviceAddress device{account, DeviceId{1}};
  const auto queued = must(store->queued(device, 0, 10));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].seq, 1u);
  const std::vector<std::uint64_t> seqs{1};
  EXPECT_EQ(must(store->delete_envelopes(device, seqs)), 1u);
  EXPECT_EQ(must(store->queue_length(device)), 0u);
}

// A database written by a version-2 binary, with an account and an envelope queued, opens
// under this one with both intact, and gains key transparency's tables, empty, with a queue
// counter of their own.
TEST(SqliteMigrationTest, VersionTwoDatabaseUpgradesGainingKeyTransparency) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(2)));
    for (std::string_view sql : {
             "INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', "
             "'alice.01', x'05', 1, 0, 2)",
             "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 1, 7, x'aa', "
             "'phone', 0, 1, x'05', x'00', 1, x'08', x'00')",
             "UPDATE counters SET value = 4 WHERE name = 'envelope_seq'",
             "INSERT INTO envelopes VALUES (4, x'02020202020202020202020202020202', "
             "x'01010101010101010101010101010101', 1, x'03030303030303030303030303030303', 1, "
             "1, x'c0ffee', 5, 4, 9999999999999)"}) {
      must(db->execute(Sql{"version 2 data", sql}));
    }
    ASSERT_EQ(must(schema_version(*db)), 2);
    ASSERT_FALSE(has_table(*db, "kt_pending"));
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  const DeviceAddress device{account, DeviceId{1}};
  {
    auto store = must(open_sqlite_store(file));
    const auto upgraded = must(store->account(account));
    ASSERT_TRUE(upgraded);
    EXPECT_EQ(upgraded->username, std::optional<std::string>("alice.01"));
    const auto queued = must(store->queued(device, 0, 10));
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].seq, 4u);
    EXPECT_TRUE(must(store->kt_pending(0, 10)).empty());
    EXPECT_TRUE(must(store->kt_entries(0, 10)).empty());
    EXPECT_EQ(must(store->kt_queue_update(view_of(account.bytes), as_bytes("v"))), 1u);
    std::vector<Envelope> next{conformance::envelope(device, 9)};
    must(store->enqueue(next));
    EXPECT_EQ(next[0].seq, 5u);  // the envelope counter went on where it was
  }
  auto db = raw(file);
  EXPECT_EQ(must(schema_version(*db)), latest());
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM kt_pending"), 1);
}

}  // namespace
}  // namespace bulwark::store::sqlite
