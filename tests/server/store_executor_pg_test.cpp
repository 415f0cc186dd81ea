// StoreExecutor over the PostgreSQL store (store/pg_store.h), whose failed sync is not final
// (Store::sync_failure_is_final): the jobs waiting on it fail as unavailable, and the executor
// keeps taking work, synced again by the next barrier.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "server/store_executor.h"
#include "store/pg_store.h"
#include "support/pg_server.h"

namespace bulwark::server {
namespace {

store::PendingCode pg_executor_code(const std::string& phone) {
  return {phone, Bytes(32), Bytes(16), 0, 1, 0};
}

// Submits a write and waits (bounded) for its completion.
std::optional<Result<void>> pg_executor_write(StoreExecutor& executor, const std::string& phone) {
  std::optional<Result<void>> outcome;
  std::atomic<bool> answered{false};
  const bool queued = executor.submit(
      [phone](store::Store& store) { return store.put_verification_code(pg_executor_code(phone)); },
      [&](Result<void> result) {
        outcome = std::move(result);
        answered = true;
      });
  if (!queued) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!answered && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  if (!answered) return std::nullopt;
  return outcome;
}

// PostgreSQL crashes and comes back between two writes. The write after it commits on the new
// server, but the barrier that follows cannot prove what the old server may have lost: that
// write is answered unavailable (outcome unknown), never OK, and the executor does not give up
// as it does for SQLite's failed fdatasync: the next write is synced and answered OK.
TEST(StoreExecutorPgTest, AFailedBarrierFailsItsJobsAndTheExecutorCarriesOn) {
  auto pg = test::PgServer::start();
  ASSERT_TRUE(pg) << pg.error().describe();
  test::PgServer& postgres = **pg;
  auto opened = store::open_pg_store(postgres.conninfo("postgres"));
  ASSERT_TRUE(opened) << opened.error().describe();
  StoreExecutor executor(std::move(*opened));

  const auto before = pg_executor_write(executor, "+15550000001");
  ASSERT_TRUE(before.has_value());
  EXPECT_TRUE(*before) << before->error().describe();

  ASSERT_TRUE(postgres.crash());
  const auto restarted = postgres.restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();

  const auto unproven = pg_executor_write(executor, "+15550000002");
  ASSERT_TRUE(unproven.has_value());
  ASSERT_FALSE(*unproven);
  EXPECT_EQ(unproven->error().code, Errc::unavailable) << unproven->error().describe();
  EXPECT_NE(unproven->error().context.find("may or may not have been"), std::string::npos)
      << unproven->error().describe();
  EXPECT_FALSE(executor.failed());

  const auto after = pg_executor_write(executor, "+15550000003");
  ASSERT_TRUE(after.has_value()) << "the executor refused work after a failed barrier";
  EXPECT_TRUE(*after) << after->error().describe();
  executor.drain_and_stop();
}

}  // namespace
}  // namespace bulwark::server
