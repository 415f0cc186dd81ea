// PgDb's own behaviour (store/pg/db.h), beyond what the conformance suites show: placeholder
// numbering, binary values, SQLSTATE mapping, commits of aborted transactions, and the
// connection failing and coming back.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>

#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg/errors.h"
#include "store/pg/placeholders.h"

namespace bulwark::store::pg {
namespace {

using pg_tests::pg_server;

// A PgDb on a fresh schema holding one small table and one that references it.
class PgDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = pg_server().create_schema();
    ASSERT_TRUE(schema) << schema.error().describe();
    schema_ = *schema;
    auto connected =
        PgDb::connect(pg_server().conninfo("postgres", test::PgServer::search_options(schema_)),
                      std::chrono::seconds{5});
    ASSERT_TRUE(connected) << connected.error().describe();
    db_ = std::move(*connected);
    ASSERT_TRUE(db_->execute({"create",
                              "CREATE TABLE parent (id BIGINT PRIMARY KEY, "
                              "name TEXT, data BYTEA)"}));
    ASSERT_TRUE(db_->execute(
        {"create", "CREATE TABLE child (id BIGINT PRIMARY KEY REFERENCES parent (id))"}));
  }
  void TearDown() override {
    db_.reset();
    static_cast<void>(pg_server().drop_schema(schema_));
  }

  Result<void> insert_parent(std::int64_t id, std::string_view name) {
    auto insert = BULWARK_TRY(
        db_->prepare({"insert parent", "INSERT INTO parent (id, name, data) VALUES (?, ?, ?)"}));
    insert.bind(id).bind(name).bind(ByteView{});
    return insert.finish();
  }

  std::string schema_;
  std::unique_ptr<PgDb> db_;
};

TEST(PgPlaceholdersTest, QuestionMarksOutsideQuotesAndCommentsAreNumbered) {
  const NumberedSql numbered =
      number_placeholders("SELECT ?, '?''?', \"a?\", ? -- what?\n, /* ? */ $$ ? $$, $t$ ? $t$, ?");
  EXPECT_EQ(numbered.text,
            "SELECT $1, '?''?', \"a?\", $2 -- what?\n, /* ? */ $$ ? $$, $t$ ? $t$, $3");
  EXPECT_EQ(numbered.parameters, 3);
}

TEST(PgErrorsTest, SqlstatesMapToTheStoreErrors) {
  EXPECT_EQ(errc_for_sqlstate("23505"), Errc::conflict);
  EXPECT_EQ(errc_for_sqlstate("23503"), Errc::not_found);
  EXPECT_EQ(errc_for_sqlstate("08006"), Errc::unavailable);
  EXPECT_EQ(errc_for_sqlstate("57P01"), Errc::unavailable);
  EXPECT_EQ(errc_for_sqlstate("57P03"), Errc::unavailable);
  EXPECT_EQ(errc_for_sqlstate("42P01"), Errc::storage);
  EXPECT_EQ(errc_for_sqlstate("22001"), Errc::storage);
  // Losing a race with another node is retryable, never "server error".
  EXPECT_EQ(errc_for_sqlstate("40001"), Errc::unavailable);
  EXPECT_EQ(errc_for_sqlstate("40P01"), Errc::unavailable);
  EXPECT_EQ(errc_for_sqlstate("55P03"), Errc::unavailable);
}

TEST(PgErrorsTest, AppendLockKeysAreStablePerLogName) {
  EXPECT_EQ(append_lock_key("kt_entries"), append_lock_key("kt_entries"));
  EXPECT_NE(append_lock_key("kt_entries"), append_lock_key("lawful_log"));
}

TEST_F(PgDbTest, ValuesRoundTripInBinary) {
  auto insert = db_->prepare(
      {"insert", "INSERT INTO parent (id, name, data) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)"});
  ASSERT_TRUE(insert);
  const Bytes zeros{std::byte{0}, std::byte{0xff}, std::byte{0}};
  insert->bind(std::numeric_limits<std::int64_t>::min()).bind("").bind(ByteView{});
  insert->bind(std::numeric_limits<std::int64_t>::max()).bind("héllo").bind(zeros);
  insert->bind(-7).bind_null().bind_null();
  ASSERT_TRUE(insert->finish());
  EXPECT_EQ(db_->changes(), 3);

  auto select =
      db_->prepare({"select", "SELECT id, name, data, id > 0, 1 FROM parent ORDER BY id"});
  ASSERT_TRUE(select);
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->int64_at(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(select->is_null(1));  // an empty text is a value
  EXPECT_FALSE(select->is_null(2));  // and so is an empty blob
  EXPECT_TRUE(select->blob_at(2).empty());
  EXPECT_EQ(select->int64_at(3), 0);  // bool
  EXPECT_EQ(select->int64_at(4), 1);  // int4
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->int64_at(0), -7);
  EXPECT_TRUE(select->is_null(1));
  EXPECT_TRUE(select->is_null(2));
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->int64_at(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(select->text_at(1), "héllo");
  EXPECT_EQ(select->blob_at(2), zeros);
  EXPECT_EQ(select->int64_at(3), 1);
  EXPECT_FALSE(*select->step());
}

TEST_F(PgDbTest, NestedUseOfOneQueryGetsItsOwnExecution) {
  ASSERT_TRUE(insert_parent(1, "one"));
  ASSERT_TRUE(insert_parent(2, "two"));
  constexpr sql::Sql by_id{"select", "SELECT name FROM parent WHERE id = ?"};
  auto outer = db_->prepare(by_id);
  ASSERT_TRUE(outer);
  outer->bind(std::int64_t{1});
  ASSERT_TRUE(*outer->step());
  auto inner = db_->prepare(by_id);
  ASSERT_TRUE(inner);
  inner->bind(std::int64_t{2});
  ASSERT_TRUE(*inner->step());
  EXPECT_EQ(inner->text_at(0), "two");
  EXPECT_EQ(outer->text_at(0), "one");
}

TEST_F(PgDbTest, ConstraintViolationsMapWithoutTheBoundValues) {
  ASSERT_TRUE(insert_parent(42, "first"));
  const auto duplicate = insert_parent(42, "a-distinctive-name");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  EXPECT_NE(duplicate.error().context.find("insert parent"), std::string::npos);
  EXPECT_EQ(duplicate.error().context.find("42"), std::string::npos);

  auto orphan = db_->prepare({"insert child", "INSERT INTO child (id) VALUES (?)"});
  ASSERT_TRUE(orphan);
  orphan->bind(std::int64_t{987654});
  const auto inserted = orphan->finish();
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, Errc::not_found);
  EXPECT_EQ(inserted.error().context.find("987654"), std::string::npos);
}

TEST_F(PgDbTest, InvalidTextIsRefusedWithoutQuotingIt) {
  const std::string invalid_utf8 = "bad\xff\xfe-value";
  const auto inserted = insert_parent(5, invalid_utf8);
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, Errc::storage);
  EXPECT_EQ(inserted.error().context.find("0xff"), std::string::npos);
  EXPECT_EQ(inserted.error().context.find("bad"), std::string::npos);
}

TEST_F(PgDbTest, CommitOfAnAbortedTransactionFails) {
  ASSERT_TRUE(insert_parent(1, "one"));
  ASSERT_TRUE(db_->begin_transaction());
  ASSERT_TRUE(insert_parent(2, "two"));
  ASSERT_FALSE(insert_parent(1, "again"));  // outside any savepoint: aborts the transaction
  EXPECT_TRUE(db_->transaction_damaged());
  EXPECT_FALSE(db_->commit_transaction());
  db_->rollback_transaction();
  auto count = db_->prepare({"count", "SELECT COUNT(*) FROM parent"});
  ASSERT_TRUE(count);
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->int64_at(0), 1);
}

TEST_F(PgDbTest, AFailedSavepointIsUndoneAloneInsideATransaction) {
  ASSERT_TRUE(db_->begin_transaction());
  ASSERT_TRUE(insert_parent(1, "one"));
  const auto failed = sql::in_savepoint(*db_, [&]() -> Result<void> {
    BULWARK_TRY(insert_parent(2, "two"));
    return insert_parent(1, "duplicate");
  });
  ASSERT_FALSE(failed);
  EXPECT_FALSE(db_->transaction_damaged());
  ASSERT_TRUE(db_->commit_transaction());
  auto count = db_->prepare({"count", "SELECT COUNT(*) FROM parent"});
  ASSERT_TRUE(count);
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->int64_at(0), 1);
}

TEST_F(PgDbTest, ACommitOnALostConnectionIsUnavailableAndTheNextTransactionReconnects) {
  ASSERT_TRUE(db_->begin_transaction());
  ASSERT_TRUE(insert_parent(1, "one"));
  ASSERT_TRUE(pg_server().terminate_sessions("bulwark"));
  const auto committed = db_->commit_transaction();
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code, Errc::unavailable) << committed.error().describe();
  EXPECT_NE(committed.error().context.find("outcome unknown"), std::string::npos);
  EXPECT_TRUE(db_->transaction_damaged());
  db_->rollback_transaction();

  ASSERT_TRUE(db_->begin_transaction());  // reconnects
  ASSERT_TRUE(insert_parent(2, "two"));   // prepared again on the new session
  ASSERT_TRUE(db_->commit_transaction());
  auto count = db_->prepare({"count", "SELECT COUNT(*) FROM parent"});
  ASSERT_TRUE(count);
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->int64_at(0), 1);  // the insert whose commit never arrived is gone
}

TEST_F(PgDbTest, AppendLocksAreTakenInsideTransactions) {
  ASSERT_TRUE(db_->begin_transaction());
  EXPECT_TRUE(db_->lock_for_append("kt_entries"));
  EXPECT_TRUE(db_->lock_for_append("kt_entries"));  // re-entrant for its holder
  EXPECT_TRUE(db_->commit_transaction());
}

}  // namespace
}  // namespace bulwark::store::pg
