// What the PostgreSQL schema must get right when several nodes write at once, beyond one
// connection's view (the conformance suites): two connections, each the only one its thread
// uses.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg/migrations.h"
#include "store/sql/groups.h"
#include "store/sql/migrate.h"

namespace bulwark::store::pg {
namespace {

using pg_tests::pg_server;

std::unique_ptr<PgDb> connect_to(const std::string& schema) {
  auto db = PgDb::connect(pg_server().conninfo("postgres", test::PgServer::search_options(schema)),
                          std::chrono::seconds{5});
  if (!db) ADD_FAILURE() << db.error().describe();
  return db ? std::move(*db) : nullptr;
}

std::int64_t count_rows(PgDb& db, sql::Sql query) {
  auto statement = db.prepare(query);
  if (!statement || !statement->step().value_or(false)) return -1;
  return statement->int64_at(0);
}

// One device with two queued copies (seq 1 and 2) of one shared group message.
constexpr sql::Sql two_copies_of_one_message{
    "set up",
    "INSERT INTO accounts VALUES ('\\x01', '+15550001', NULL, '\\x05', 1, 0, 2);"
    "INSERT INTO devices VALUES ('\\x01', 1, 7, '\\x02', 'd', 0, 1, '\\x03', '\\x04');"
    "INSERT INTO shared_contents (id, content) VALUES (1, '\\xaabb');"
    "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device,"
    " envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms,"
    " shared_content) VALUES (1, '\\x11', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1),"
    " (2, '\\x12', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1)"};

constexpr sql::Sql delete_copy{"delete copy", "DELETE FROM envelopes WHERE seq = ?"};
constexpr sql::Sql count_contents{"count", "SELECT COUNT(*) FROM shared_contents"};
constexpr sql::Sql count_envelopes{"count", "SELECT COUNT(*) FROM envelopes"};

Result<void> delete_seq(PgDb& db, std::int64_t seq) {
  auto statement = BULWARK_TRY(db.prepare(delete_copy));
  statement.bind(seq);
  return statement.finish();
}

// Two nodes delete the last two copies at once: each still sees the other's copy, so neither
// trigger frees the bytes (nor waits for the other); the periodic sweep does.
TEST(PgConcurrencyTest, BytesTheLastTwoCopiesLeftGoingAtOnceAreFreedByTheSweep) {
  const std::string schema = *pg_server().create_schema();
  auto first = connect_to(schema);
  auto second = connect_to(schema);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(sql::migrate(*first, pg_migrations()));
  ASSERT_TRUE(first->execute(two_copies_of_one_message));

  ASSERT_TRUE(first->begin_transaction());
  ASSERT_TRUE(delete_seq(*first, 1));
  ASSERT_TRUE(delete_seq(*second, 2)) << "never waits for the first";
  ASSERT_TRUE(first->commit_transaction());
  EXPECT_EQ(count_rows(*first, count_envelopes), 0);
  EXPECT_EQ(count_rows(*first, count_contents), 1) << "left behind by the race";

  const OrphanSweep swept = sql::release_orphaned_contents(*first, 0, 100).value();
  EXPECT_EQ(swept.released, 1u);
  EXPECT_EQ(swept.checked_up_to, 1u);
  EXPECT_EQ(count_rows(*first, count_contents), 0);
  EXPECT_EQ(sql::release_orphaned_contents(*first, 1, 100).value().checked_up_to, 0u)
      << "past the last content: start over";
  first.reset();
  second.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

// Two group messages X and Y with two copies each; one node acknowledges a copy of X then one
// of Y, another node a copy of Y then one of X, in overlapping transactions. When the trigger
// locked each message's bytes, the two waited for each other: a deadlock, found after a second,
// and one node's deletes failed.
constexpr sql::Sql two_messages_two_copies_each{
    "set up",
    "INSERT INTO accounts VALUES ('\\x01', '+15550001', NULL, '\\x05', 1, 0, 2);"
    "INSERT INTO devices VALUES ('\\x01', 1, 7, '\\x02', 'd', 0, 1, '\\x03', '\\x04');"
    "INSERT INTO shared_contents (id, content) VALUES (1, '\\xaabb'), (2, '\\xccdd');"
    "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device,"
    " envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms,"
    " shared_content) VALUES (1, '\\x11', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1),"
    " (2, '\\x12', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 2),"
    " (3, '\\x13', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1),"
    " (4, '\\x14', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 2)"};

TEST(PgConcurrencyTest, TwoNodesAcknowledgingGroupCopiesInOppositeOrdersNeverDeadlock) {
  const std::string schema = *pg_server().create_schema();
  auto first = connect_to(schema);
  auto second = connect_to(schema);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(sql::migrate(*first, pg_migrations()));
  ASSERT_TRUE(first->execute(two_messages_two_copies_each));

  ASSERT_TRUE(first->begin_transaction());
  ASSERT_TRUE(second->begin_transaction());
  ASSERT_TRUE(delete_seq(*first, 1));   // a copy of X
  ASSERT_TRUE(delete_seq(*second, 4));  // a copy of Y
  Result<void> first_then = fail(Errc::internal, "not run");
  std::thread node([&] { first_then = delete_seq(*first, 2); });  // then Y
  const Result<void> second_then = delete_seq(*second, 3);        // then X
  node.join();
  EXPECT_TRUE(first_then) << first_then.error().describe();
  EXPECT_TRUE(second_then) << second_then.error().describe();
  ASSERT_TRUE(first->commit_transaction());
  ASSERT_TRUE(second->commit_transaction());

  EXPECT_EQ(count_rows(*first, count_envelopes), 0);
  // Each trigger still saw the other session's copy of the message (its delete uncommitted),
  // so both messages' bytes were left behind; the sweep frees them.
  const OrphanSweep swept = sql::release_orphaned_contents(*first, 0, 100).value();
  EXPECT_EQ(swept.released, 2u);
  EXPECT_EQ(count_rows(*first, count_contents), 0);
  first.reset();
  second.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
