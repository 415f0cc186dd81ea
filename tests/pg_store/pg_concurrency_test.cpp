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
    "INSERT INTO devices VALUES ('\\x01', 1, 7, '\\x02', 'd', 0, 1, '\\x03', '\\x04', 1, '\\x05',"
    " '\\x06');"
    "INSERT INTO shared_contents (id, content) VALUES (1, '\\xaabb');"
    "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device,"
    " envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms,"
    " shared_content) VALUES (1, '\\x11', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1),"
    " (2, '\\x12', '\\x01', 1, '\\x09', 1, 1, '\\x', 0, 0, 9, 1)"};

TEST(PgConcurrencyTest, SharedContentIsReleasedWhenItsLastTwoCopiesGoAtOnce) {
  const std::string schema = *pg_server().create_schema();
  auto first = connect_to(schema);
  auto second = connect_to(schema);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(sql::migrate(*first, pg_migrations()));
  ASSERT_TRUE(first->execute(two_copies_of_one_message));

  constexpr sql::Sql delete_copy{"delete copy", "DELETE FROM envelopes WHERE seq = ?"};
  ASSERT_TRUE(first->begin_transaction());
  {
    auto one = first->prepare(delete_copy);
    ASSERT_TRUE(one);
    one->bind(std::int64_t{1});
    // Holds the shared content's row lock until the transaction commits.
    ASSERT_TRUE(one->finish());
  }

  // The other node deletes the other copy meanwhile. The first commits only once the other is
  // waiting for its lock (or done, had it not waited), so the two deletions overlap.
  Result<void> other = fail(Errc::internal, "not run");
  std::atomic<bool> other_done{false};
  std::thread node([&] {
    auto two = second->prepare(delete_copy);
    if (!two) {
      other = tl::unexpected(two.error());
    } else {
      two->bind(std::int64_t{2});
      other = two->finish();
    }
    other_done = true;
  });
  auto observer = connect_to(schema);
  ASSERT_TRUE(observer);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (!other_done && std::chrono::steady_clock::now() < deadline &&
         count_rows(*observer, {"waiting",
                                "SELECT COUNT(*) FROM pg_stat_activity WHERE "
                                "wait_event_type = 'Lock'"}) == 0) {
    std::this_thread::yield();
  }
  const auto committed = first->commit_transaction();
  node.join();
  ASSERT_TRUE(committed) << committed.error().describe();
  ASSERT_TRUE(other) << other.error().describe();

  EXPECT_EQ(count_rows(*first, {"count", "SELECT COUNT(*) FROM envelopes"}), 0);
  EXPECT_EQ(count_rows(*first, {"count", "SELECT COUNT(*) FROM shared_contents"}), 0);
  first.reset();
  second.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
