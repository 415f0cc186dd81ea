// The SQLite connection layer: statement cache, error mapping, savepoints
// (store/sqlite/db.h).
#include "store/sqlite/db.h"

#include <gtest/gtest.h>

#include "conformance.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::must;
using conformance::TempDir;

constexpr Sql create_table{"create",
                           "CREATE TABLE t (k BIGINT NOT NULL PRIMARY KEY, v TEXT NOT NULL)"};
constexpr Sql create_child{"create child",
                           "CREATE TABLE c (k BIGINT NOT NULL REFERENCES t (k) ON DELETE CASCADE)"};
constexpr Sql insert_row{"insert row", "INSERT INTO t (k, v) VALUES (?, ?)"};
constexpr Sql insert_child{"insert child", "INSERT INTO c (k) VALUES (?)"};
constexpr Sql select_rows{"select rows", "SELECT k, v FROM t ORDER BY k"};
constexpr Sql count_rows{"count rows", "SELECT COUNT(*) FROM t"};

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = must(Db::open(dir_.path() / "test.db", std::chrono::milliseconds{1000}));
    must(db_->execute(create_table));
    must(db_->execute(Sql{"foreign keys", "PRAGMA foreign_keys = ON"}));
    must(db_->execute(create_child));
  }

  Result<void> insert(std::int64_t key, std::string_view value) {
    auto statement = BULWARK_TRY(db_->prepare(insert_row));
    statement.bind(key).bind(value);
    return statement.finish();
  }

  std::int64_t rows() {
    auto query = must(db_->prepare(count_rows));
    EXPECT_TRUE(must(query.step()));
    return query.int64_at(0);
  }

  TempDir dir_;
  std::unique_ptr<Db> db_;
};

TEST_F(SqliteDbTest, NestedUseOfOneStatementGetsItsOwnCopy) {
  must(insert(1, "one"));
  must(insert(2, "two"));
  auto outer = must(db_->prepare(select_rows));
  ASSERT_TRUE(must(outer.step()));
  {
    auto inner = must(db_->prepare(select_rows));
    ASSERT_TRUE(must(inner.step()));
    EXPECT_EQ(inner.int64_at(0), 1);
  }
  ASSERT_TRUE(must(outer.step()));
  EXPECT_EQ(outer.text_at(1), "two");
}

TEST_F(SqliteDbTest, StatementStartsOverAfterAnAbandonedRun) {
  must(insert(1, "one"));
  must(insert(2, "two"));
  {
    auto query = must(db_->prepare(select_rows));
    ASSERT_TRUE(must(query.step()));
  }
  auto query = must(db_->prepare(select_rows));
  ASSERT_TRUE(must(query.step()));
  EXPECT_EQ(query.int64_at(0), 1);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(SqliteDbTest, ConstraintViolationsMapToErrc) {
  must(insert(1, "one"));
  EXPECT_EQ(insert(1, "again").error().code, Errc::conflict);
  auto child = must(db_->prepare(insert_child));
  child.bind(std::int64_t{7});
  EXPECT_EQ(child.finish().error().code, Errc::not_found);
  auto bad = db_->prepare(Sql{"bad sql", "SELECT FROM"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::storage);
  EXPECT_EQ(bad.error().context.rfind("bad sql: ", 0), 0u);
}

TEST_F(SqliteDbTest, ErrorContextHoldsTheOperationNotTheValues) {
  must(insert(1, "private value"));
  const auto error = insert(1, "private value").error();
  EXPECT_EQ(error.context.rfind("insert row: ", 0), 0u);
  EXPECT_EQ(error.context.find("private"), std::string::npos);
}

TEST_F(SqliteDbTest, InnerSavepointRollbackKeepsTheOuterWork) {
  const auto outer = in_savepoint(*db_, [&]() -> Result<void> {
    BULWARK_TRY(insert(1, "kept"));
    const auto inner = in_savepoint(*db_, [&]() -> Result<void> {
      BULWARK_TRY(insert(2, "undone"));
      return fail(Errc::conflict, "inner gives up");
    });
    EXPECT_FALSE(inner);
    return {};
  });
  EXPECT_TRUE(outer);
  EXPECT_EQ(rows(), 1);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(SqliteDbTest, FailedOutermostSavepointLeavesNoTransactionOpen) {
  const auto result = in_savepoint(*db_, [&]() -> Result<void> {
    BULWARK_TRY(insert(1, "undone"));
    return insert(1, "clash");
  });
  EXPECT_EQ(result.error().code, Errc::conflict);
  EXPECT_EQ(rows(), 0);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(SqliteDbTest, InjectedFaultFailsTheStepWithoutRunningIt) {
  bool fail_next = true;
  db_->set_fault_hook([&] { return std::exchange(fail_next, false); });
  const auto failed = insert(1, "one");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::storage);
  EXPECT_EQ(rows(), 0);
  must(insert(1, "one"));
  EXPECT_EQ(rows(), 1);
}

TEST_F(SqliteDbTest, EmptyBlobIsAValueNotNull) {
  must(db_->execute(Sql{"create blobs", "CREATE TABLE b (v BLOB NOT NULL)"}));
  auto statement = must(db_->prepare(Sql{"insert blob", "INSERT INTO b (v) VALUES (?)"}));
  statement.bind(ByteView{});
  must(statement.finish());
}

TEST_F(SqliteDbTest, EmptyTextIsAValueNotNull) {
  must(db_->execute(Sql{"create texts", "CREATE TABLE texts (v TEXT NOT NULL)"}));
  auto statement = must(db_->prepare(Sql{"insert text", "INSERT INTO texts (v) VALUES (?)"}));
  statement.bind(std::string_view{});
  must(statement.finish());
}

// An unsynced transaction commits with synchronous = NORMAL (SQLite allows the change only
// between transactions) and leaves the connection at FULL, so every other write stays durable.
TEST_F(SqliteDbTest, UnsyncedTransactionCommitsAndLeavesCommitsSyncedAfterIt) {
  must(db_->execute(Sql{"full", "PRAGMA synchronous = FULL"}));
  must(db_->begin_transaction_unsynced());
  EXPECT_EQ(must(db_->synchronous_level()), 1);
  must(insert(1, "one"));
  must(db_->commit_transaction());
  EXPECT_EQ(must(db_->synchronous_level()), 2);
  EXPECT_EQ(rows(), 1);
  must(db_->begin_transaction_unsynced());
  must(insert(2, "undone"));
  db_->rollback_transaction();
  EXPECT_EQ(must(db_->synchronous_level()), 2);
  EXPECT_EQ(rows(), 1);
}

// Whichever step of an unsynced transaction fails, the next transaction runs at FULL.
TEST_F(SqliteDbTest, NoFailedStepOfAnUnsyncedTransactionLeavesLaterCommitsUnsynced) {
  must(db_->execute(Sql{"full", "PRAGMA synchronous = FULL"}));
  for (int fail_at = 1;; ++fail_at) {
    int step = 0;
    db_->set_fault_hook([&] { return ++step == fail_at; });
    Result<void> run = db_->begin_transaction_unsynced();
    if (run) run = insert(100 + fail_at, "row");
    if (run) run = db_->commit_transaction();
    if (!run && db_->in_transaction()) db_->rollback_transaction();
    const bool injected = step >= fail_at;
    db_->set_fault_hook({});
    must(db_->begin_transaction());
    EXPECT_EQ(must(db_->synchronous_level()), 2) << "failing step " << fail_at;
    must(db_->commit_transaction());
    if (!injected) break;  // every step has been failed once
    ASSERT_LT(fail_at, 20);
  }
}

TEST_F(SqliteDbTest, WalFileIsWhereTheDatabaseLogsItsCommits) {
  must(db_->execute(Sql{"wal", "PRAGMA journal_mode = WAL"}));
  must(insert(1, "one"));
  EXPECT_EQ(db_->wal_file(), dir_.path() / "test.db-wal");
  EXPECT_TRUE(std::filesystem::exists(db_->wal_file()));
}

}  // namespace
}  // namespace bulwark::store::sqlite
