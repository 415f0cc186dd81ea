// The PostgreSQL store's session limits (store/pg/db.h PgSessionLimits, store/pg_store.h): a
// statement that waits on another session's lock, or runs, longer than the limit fails with a
// retryable Errc::unavailable instead of holding up the server's one store thread; the
// operator's own conninfo options win; migrating is exempt.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "../store/conformance.h"
#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg_store.h"

namespace bulwark::store::pg {
namespace {

using conformance::error_of;
using conformance::must;
using pg_tests::pg_server;

constexpr std::chrono::milliseconds short_limit{200};

std::string limits_conninfo(const std::string& schema, std::string_view settings = {}) {
  return pg_server().conninfo("postgres", test::PgServer::search_options(schema, settings));
}

std::string show(PgDb& db, sql::Sql query) {
  auto statement = must(db.prepare(query));
  EXPECT_TRUE(must(statement.step()));
  return statement.text_at(0);
}

constexpr sql::Sql show_lock_timeout{"show", "SHOW lock_timeout"};
constexpr sql::Sql show_statement_timeout{"show", "SHOW statement_timeout"};
constexpr sql::Sql show_search_path{"show", "SHOW search_path"};
constexpr sql::Sql sleep_a_while{"sleep", "SELECT pg_sleep(5)"};
constexpr sql::Sql select_one{"one", "SELECT 1"};
constexpr sql::Sql lock_every_position{"lock positions",
                                       "SELECT last_seq FROM queue_positions FOR UPDATE"};

TEST(PgSessionLimitsTest, ASessionStartsWithTheLimitsAndKeepsTheOperatorsOptions) {
  const std::string schema = must(pg_server().create_schema());
  auto db = must(PgDb::connect(
      limits_conninfo(schema), std::chrono::seconds{5},
      PgSessionLimits{std::chrono::milliseconds{1'500}, std::chrono::milliseconds{2'500}}));
  EXPECT_EQ(show(*db, show_lock_timeout), "1500ms");
  EXPECT_EQ(show(*db, show_statement_timeout), "2500ms");
  EXPECT_NE(show(*db, show_search_path).find(schema), std::string::npos)
      << "the operator's options (here the test's search path) are kept";
  // A setting the operator gives in the conninfo wins over the store's.
  auto theirs =
      must(PgDb::connect(limits_conninfo(schema, "-clock_timeout=7s"), std::chrono::seconds{5}));
  EXPECT_EQ(show(*theirs, show_lock_timeout), "7s");
  EXPECT_EQ(show(*theirs, show_statement_timeout), "30s");
  static_cast<void>(pg_server().drop_schema(schema));
}

TEST(PgSessionLimitsTest, AStatementRunningPastItsLimitIsCancelledAndTheSessionCarriesOn) {
  const std::string schema = must(pg_server().create_schema());
  auto db = must(PgDb::connect(limits_conninfo(schema), std::chrono::seconds{5},
                               PgSessionLimits{short_limit, short_limit}));
  const auto started = std::chrono::steady_clock::now();
  {
    auto sleeping = must(db->prepare(sleep_a_while));
    EXPECT_EQ(error_of(sleeping.step()), Errc::unavailable);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{4});
  auto one = must(db->prepare(select_one));
  ASSERT_TRUE(must(one.step()));
  EXPECT_EQ(one.int64_at(0), 1);
  static_cast<void>(pg_server().drop_schema(schema));
}

TEST(PgSessionLimitsTest, ASendBehindAnotherSessionsLockFailsRetryablyThenSucceeds) {
  const std::string schema = must(pg_server().create_schema());
  PgOptions options;
  options.lock_timeout = short_limit;
  auto store = must(open_pg_store(limits_conninfo(schema), options));
  const AccountId account =
      must(store->register_account(conformance::new_account(1), conformance::new_device(1)));
  const DeviceAddress device{account, DeviceId{1}};
  std::vector<Envelope> first{conformance::envelope(device, 1)};
  must(store->enqueue(first));  // the device's position row exists from now on

  // Another node (or an operator's psql) holds the device's position and does not let go.
  auto holder = must(PgDb::connect(limits_conninfo(schema), std::chrono::seconds{5}));
  ASSERT_TRUE(holder->begin_transaction());
  {
    auto locked = must(holder->prepare(lock_every_position));
    while (must(locked.step())) {
    }
  }
  std::vector<Envelope> blocked{conformance::envelope(device, 2)};
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of(store->enqueue(blocked)), Errc::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{4});
  ASSERT_TRUE(holder->commit_transaction());
  // Nothing of the refused send stayed; sent again, it is stored after the first.
  std::vector<Envelope> again{conformance::envelope(device, 2)};
  must(store->enqueue(again));
  EXPECT_EQ(again[0].seq, first[0].seq + 1);
  EXPECT_EQ(must(store->queued(device, 0, 10)).size(), 2u);
  store.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
