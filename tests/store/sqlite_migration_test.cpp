// The SQLite store's versioned migrations (store/sqlite/migrations.h).
#include <gtest/gtest.h>

#include <array>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {

using sql::migrate;
using sql::schema_version;
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
  for (std::string_view table :
       {"accounts", "devices", "pre_keys", "kyber_pre_keys", "envelopes", "counters",
        "verification_codes", "ip_sightings", "kt_pending", "kt_entries", "kt_versions",
        "kt_cosignatures", "queue_positions", "leases"}) {
    EXPECT_TRUE(has_table(*db, table)) << table;
  }
  EXPECT_TRUE(has_index(*db, "kt_pending_by_label"));
  EXPECT_TRUE(has_index(*db, "kt_versions_by_label"));
  for (std::string_view table :
       {"lawful_authorities", "lawful_authority_pems", "lawful_orders", "lawful_decisions",
        "lawful_log", "lawful_cosignatures", "lawful_disclosures"}) {
    EXPECT_TRUE(has_table(*db, table)) << table;
  }
  EXPECT_TRUE(has_index(*db, "lawful_decisions_by_position"));
  EXPECT_TRUE(has_index(*db, "lawful_disclosures_by_account"));
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
    for (std::string_view sql :
         {"INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', NULL, "
          "x'05', 1, 0, 2)",
          "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 1, 7, x'aa', 'phone', "
          "0, 1, x'05', x'00', 1, "
          "x'08', x'00')",
          "UPDATE counters SET value = 1 WHERE name = 'envelope_seq'",
          "INSERT INTO envelopes VALUES (1, x'02020202020202020202020202020202', "
          "x'01010101010101010101010101010101', 1, x'03030303030303030303030303030303', 1, 1, "
          "x'c0ffee', 5, 4, 9999999999999)"}) {
      must(db->execute(Sql{"version 1 data", sql}));
    }
    ASSERT_TRUE(has_index(*db, "envelopes_by_id"));
  }
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations()));
    EXPECT_EQ(must(schema_version(*db)), latest());
    EXPECT_FALSE(has_index(*db, "envelopes_by_id"));
    // Version 11 keys envelopes by (device, position): the primary key is the queue's index.
    EXPECT_FALSE(has_index(*db, "envelopes_by_queue"));
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM envelopes"), 1);
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  auto store = must(open_sqlite_store(file));
  const DeviceAddress device{account, DeviceId{1}};
  const auto queued = must(store->queued(device, 0, 10));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].seq, 1u);
  EXPECT_EQ(queued[0].content, (Bytes{std::byte{0xc0}, std::byte{0xff}, std::byte{0xee}}));
  EXPECT_TRUE(queued[0].franking_tag.empty()) << "version 7 gives old envelopes empty franking";
  const std::vector<std::uint64_t> seqs{1};
  EXPECT_EQ(must(store->delete_envelopes(device, seqs)), 1u);
  EXPECT_EQ(must(store->queue_length(device)), 0u);
}

// A version-10 database (one store-wide queue counter) upgrades to positions per device: every
// queued envelope, 1:1 and group copies sharing their bytes, stays readable at its position,
// each device continues above every position handed out, and the shared bytes still go with
// the last copy.
TEST(SqliteMigrationTest, VersionTenDatabaseUpgradesToPositionsPerDevice) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(10)));
    for (std::string_view sql :
         {"INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', "
          "NULL, x'05', 1, 0, 3)",
          "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 1, 7, x'aa', 'a', "
          "0, 1, x'05', x'00', 1, x'08', x'00')",
          "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 2, 8, x'bb', 'b', "
          "0, 1, x'05', x'00', 1, x'08', x'00')",
          "UPDATE counters SET value = 5 WHERE name = 'envelope_seq'",
          "INSERT INTO shared_contents (id, content) VALUES (1, x'5151')",
          "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, "
          "source_device, envelope_type, content, server_timestamp_ms, client_timestamp_ms, "
          "expires_at_ms) VALUES (2, x'02020202020202020202020202020202', "
          "x'01010101010101010101010101010101', 1, x'03030303030303030303030303030303', 1, 1, "
          "x'c0ffee', 5, 4, 9999999999999)",
          "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, "
          "source_device, envelope_type, content, server_timestamp_ms, client_timestamp_ms, "
          "expires_at_ms, group_id, group_epoch, shared_content) VALUES (4, "
          "x'04040404040404040404040404040404', x'01010101010101010101010101010101', 1, "
          "x'03030303030303030303030303030303', 1, 1, x'', 5, 4, 9999999999999, x'0909', 3, 1)",
          "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, "
          "source_device, envelope_type, content, server_timestamp_ms, client_timestamp_ms, "
          "expires_at_ms, group_id, group_epoch, shared_content) VALUES (5, "
          "x'05050505050505050505050505050505', x'01010101010101010101010101010101', 2, "
          "x'03030303030303030303030303030303', 1, 1, x'', 5, 4, 9999999999999, x'0909', 3, 1)"}) {
      must(db->execute(Sql{"version 10 data", sql}));
    }
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  const DeviceAddress first{account, DeviceId{1}};
  const DeviceAddress second{account, DeviceId{2}};
  {
    auto store = must(open_sqlite_store(file));
    const auto queue = must(store->queued(first, 0, 10));
    ASSERT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue[0].seq, 2u);
    EXPECT_EQ(queue[0].content, (Bytes{std::byte{0xc0}, std::byte{0xff}, std::byte{0xee}}));
    EXPECT_EQ(queue[1].seq, 4u);
    EXPECT_EQ(queue[1].content, (Bytes{std::byte{0x51}, std::byte{0x51}}));
    EXPECT_EQ(queue[1].group_epoch, 3u);
    std::vector<Envelope> next{conformance::envelope(first, 6), conformance::envelope(second, 7)};
    must(store->enqueue(next));
    EXPECT_EQ(next[0].seq, 6u) << "above every position the store-wide counter handed out";
    EXPECT_EQ(next[1].seq, 6u);
    const std::vector<std::uint64_t> copies{4};
    EXPECT_EQ(must(store->delete_envelopes(first, copies)), 1u);
    const std::vector<std::uint64_t> last_copy{5};
    EXPECT_EQ(must(store->delete_envelopes(second, last_copy)), 1u);
  }
  auto db = raw(file);
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM shared_contents"), 0) << "went with the last copy";
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM counters WHERE name = 'envelope_seq'"), 0);
}

// A version-14 database (the last-resort Kyber prekey inside the device row) upgrades to the key
// in a table of its own: the bundle still hands out the same key, replacing it still works, the
// device rows no longer carry it, and it goes with its device.
TEST(SqliteMigrationTest, VersionFourteenDatabaseMovesLastResortKeysOutOfDeviceRows) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(14)));
    for (std::string_view sql :
         {"INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', "
          "NULL, x'05', 1, 0, 2)",
          "INSERT INTO devices VALUES (x'01010101010101010101010101010101', 1, 7, x'aa', 'a', "
          "0, 3, x'05', x'06', 9, x'0808', x'0909')"}) {
      must(db->execute(Sql{"version 14 data", sql}));
    }
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  const DeviceAddress device{account, DeviceId{1}};
  {
    auto store = must(open_sqlite_store(file));
    conformance::expect_last_resort_key_kept(*store, device);
  }
  {
    auto db = raw(file);
    EXPECT_EQ(must(schema_version(*db)), latest());
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM pragma_table_info('devices') "
                    "WHERE name LIKE 'kyber%'"),
              0);
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM last_resort_kyber_keys"), 1);
    must(db->execute(Sql{"as the store opens it", "PRAGMA foreign_keys = ON"}));
    must(db->execute(Sql{"remove the device", "DELETE FROM devices"}));
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM last_resort_kyber_keys"), 0)
        << "the key goes with its device";
  }
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
    for (std::string_view sql :
         {"INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', "
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

// A database written by a version-4 binary, with two channels whose logs hold posts, an edit, a
// removal and an admin entry, opens under this one with every entry where it was: version 5
// moves the log into one key range per channel (channel_log) and drops channel_entries.
TEST(SqliteMigrationTest, VersionFourDatabaseUpgradesKeepingChannelLogs) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(4)));
    for (std::string_view sql :
         {"INSERT INTO channels VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 'first', "
          "x'01010101010101010101010101010101', x'aa', 0, x'', x'c1', 10, 5, 0)",
          "INSERT INTO channels VALUES (x'0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b', 'second', "
          "x'01010101010101010101010101010101', x'bb', 0, x'', x'c2', 20, 2, 0)",
          "INSERT INTO channel_entries VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 1, 1, 0, "
          "x'c1', 0, 0, x'', 10)",
          "INSERT INTO channel_entries VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 2, 2, 0, "
          "x'', 0, 4, x'', 11)",
          "INSERT INTO channel_entries VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 3, 5, 0, "
          "x'ad', 0, 0, x'', 12)",
          "INSERT INTO channel_entries VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 4, 4, 2, "
          "x'de', 0, 0, x'', 13)",
          "INSERT INTO channel_entries VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 5, 2, 0, "
          "x'05', 0, 0, x'77', 14)",
          "INSERT INTO channel_entries VALUES (x'0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b', 1, 1, 0, "
          "x'c2', 0, 0, x'', 20)",
          "INSERT INTO channel_entries VALUES (x'0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b', 2, 2, 0, "
          "x'b2', 0, 0, x'', 21)"}) {
      must(db->execute(Sql{"version 4 data", sql}));
    }
  }
  ChannelId first{};
  first.bytes.fill(std::byte{0x0a});
  ChannelId second{};
  second.bytes.fill(std::byte{0x0b});
  auto store = must(open_sqlite_store(file));
  const auto entries = must(store->channel_entries(first, 0, 100));
  ASSERT_EQ(entries.size(), 5u);
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].seq, i + 1);
  EXPECT_EQ(entries[1].deleted_by, 4u);
  EXPECT_EQ(entries[3].kind, ChannelEntryKind::remove);
  EXPECT_EQ(entries[3].target, 2u);
  EXPECT_EQ(entries[4].entry, Bytes{std::byte{0x05}});
  EXPECT_EQ(entries[4].views, Bytes{std::byte{0x77}});
  EXPECT_EQ(entries[4].server_time_ms, 14);
  const auto admins = must(store->channel_admin_entries(first));
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(admins[0].seq, 3u);
  const auto others = must(store->channel_entries(second, 1, 100));
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].entry, Bytes{std::byte{0xb2}});
  // Both logs go on where they were, each in its own key range.
  ChannelEntry next{};
  next.seq = 3;
  next.kind = ChannelEntryKind::post;
  next.entry = Bytes{std::byte{0xb3}};
  must(store->append_channel_entry(second, next));
  EXPECT_EQ(must(store->channel_entries(second, 0, 100)).size(), 3u);
  EXPECT_EQ(must(store->channel_entries(first, 0, 100)).size(), 5u);
}

// A database written by a version-7 binary, with a decided and appealed case, a rule's case, a
// report and a logged action, opens under this one: version 8 gives the log row, the decision
// and the appeal the moderator's key from the signed record, and carries the public report's
// counts over into the running totals, which go on counting.
TEST(SqliteMigrationTest, VersionSevenDatabaseUpgradesKeepingModerationDecisionsAndCounts) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  const std::string channel = "x'09090909090909090909090909090909'";
  const std::string owner = "x'01010101010101010101010101010101'";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(7)));
    for (const std::string& sql :
         {"INSERT INTO moderation_cases VALUES (1, 1, " + channel + ", 5, " + owner +
              ", 3, 6, '', 0, x'', 10, '2026-05', 20, 'alice', 1)",
          "INSERT INTO moderation_cases VALUES (2, 1, " + channel + ", 6, " + owner +
              ", 1, 7, 'scam', 0, x'', 11, '2026-05', 11, '', 0)",
          std::string("INSERT INTO moderation_reports VALUES (1, "
                      "x'02020202020202020202020202020202', 6, '', 10, '2026-05')"),
          "INSERT INTO moderation_appeals VALUES (1, " + owner + ", 'satire', 30, 'alice')",
          "INSERT INTO moderation_log VALUES (1, 1, 1, " + owner +
              ", 6, 'alice', 'r', 20, '2026-05', "
              "x'"
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000005616c696365ababababababababababababababababababab"
              "ababababababababababababab0001720000000000000000000000000000000000000000000000000000"
              "000000000000', zeroblob(64), zeroblob(32), "
              "zeroblob(32))"}) {
      must(db->execute(Sql{"version 7 data", sql}));
    }
  }
  const Bytes alice(32, std::byte{0xab});
  auto store = must(open_sqlite_store(file));
  const auto decided = must(store->moderation_case(1));
  ASSERT_TRUE(decided && decided->appeal);
  EXPECT_EQ(decided->decided_by_key, alice);
  EXPECT_EQ(decided->appeal->excluded_key, alice);
  EXPECT_TRUE(must(store->moderation_case(2))->decided_by_key.empty());
  const auto log = must(store->moderation_log(0, 10));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].moderator_key, alice);
  // Alice's key does not get the appeal against her decision; another key does.
  EXPECT_EQ(must(store->moderation_queue(alice, 10)).size(), 1u);
  EXPECT_EQ(must(store->moderation_queue(Bytes(32, std::byte{0xcd}), 10)).size(), 2u);

  auto count_of = [&](std::string_view kind, std::uint8_t code) -> std::uint64_t {
    for (const ModerationCount& count : must(store->moderation_counts()))
      if (count.month == "2026-05" && count.kind == kind && count.code == code) return count.count;
    return 0;
  };
  EXPECT_EQ(count_of("reports", 6), 1u);
  EXPECT_EQ(count_of("rule_matches", 7), 1u);
  EXPECT_EQ(count_of("actions", 1), 1u);
  NewReport report;
  report.target = CaseTarget::post;
  report.channel.bytes.fill(std::byte{9});
  report.seq = 5;
  report.owner.bytes.fill(std::byte{1});
  report.reporter.bytes.fill(std::byte{3});
  report.category = 6;
  report.now_ms = 1'780'000'000'000;  // 2026-05-28
  must(store->report_content(report));
  EXPECT_EQ(count_of("reports", 6), 2u);
  store.reset();

  // The log is append-only again.
  auto db = raw(file);
  EXPECT_FALSE(db->execute(Sql{"tamper", "UPDATE moderation_log SET reason = 'changed'"}));
}

// A database written by a version-8 binary, with an account and a KT cosignature, opens under
// this one with both intact and gains lawful requests' tables, empty and usable.
TEST(SqliteMigrationTest, VersionEightDatabaseUpgradesGainingLawfulRequests) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  {
    auto db = raw(file);
    must(migrate(*db, sqlite_migrations().first(8)));
    for (std::string_view sql :
         {"INSERT INTO accounts VALUES (x'01010101010101010101010101010101', '+12015550101', "
          "NULL, x'05', 1, 0, 2)",
          "INSERT INTO kt_cosignatures VALUES (5, 'witness.example/a', '— line', 7)"}) {
      must(db->execute(Sql{"version 8 data", sql}));
    }
    ASSERT_FALSE(has_table(*db, "lawful_orders"));
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  auto store = must(open_sqlite_store(file));
  EXPECT_TRUE(must(store->account(account)));
  EXPECT_EQ(must(store->kt_cosignatures(5)).size(), 1u);
  EXPECT_TRUE(must(store->lawful_cosignatures(5)).empty());
  EXPECT_TRUE(must(store->lawful_authorities()).empty());
  EXPECT_EQ(must(store->lawful_log_size()), 0u);
  LawfulOrder order;
  order.authority = "court.example";
  order.order_id = "1";
  order.order_hash = Bytes(32, std::byte{1});
  EXPECT_EQ(must(store->add_lawful_order(order)), 1u);
}

}  // namespace
}  // namespace bulwark::store::sqlite
