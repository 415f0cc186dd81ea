#include <atomic>
#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

#include "server/store_executor.h"
#include "store/sqlite_store.h"

namespace bulwark::server {
namespace {

std::filesystem::path temp_db(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("bulwark-executor-" + std::to_string(::getpid()) + name);
  std::filesystem::remove_all(dir);
  return dir / "bulwark.db";
}

TEST(StoreExecutorTest, JobsQueuedTogetherShareOneCommitAndAFailingJobIsUndoneAlone) {
  auto db = temp_db("share");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)));
  std::atomic<bool> release{false};
  // The first job holds the thread so that the next ones queue up behind it.
  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    while (!release) std::this_thread::yield();
    return {};
  }, nullptr));
  while (executor.queued() != 0) std::this_thread::yield();  // the blocker is running
  std::vector<Result<void>> results(20);
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(executor.submit([i](store::Store& store) -> Result<void> {
      if (i == 7) {
        BULWARK_TRY(store.put_verification_code({"+1999", Bytes(32), Bytes(16), 0, 1, 0}));
        return fail(Errc::invalid_argument, "job seven fails");
      }
      return store.put_verification_code({"+1" + std::to_string(i), Bytes(32), Bytes(16), 0, 1, 0});
    }, [&, i](Result<void> result) {
      results[static_cast<std::size_t>(i)] = std::move(result);
      ++done;
    }));
  }
  release = true;
  while (!executor.idle()) std::this_thread::yield();
  EXPECT_EQ(done.load(), 20);
  EXPECT_EQ(executor.batches(), 2u);  // the blocker, then all twenty together
  for (int i = 0; i < 20; ++i) EXPECT_EQ(results[static_cast<std::size_t>(i)].has_value(), i != 7);
  bool seven_undone = false, others_kept = false;
  ASSERT_TRUE(executor.submit([&](store::Store& store) -> Result<void> {
    seven_undone = !store.verification_code("+1999").value().has_value();
    others_kept = store.verification_code("+119").value().has_value();
    return {};
  }, nullptr));
  executor.drain_and_stop();
  EXPECT_TRUE(seven_undone);
  EXPECT_TRUE(others_kept);
  std::filesystem::remove_all(db.parent_path());
}

TEST(StoreExecutorTest, TheQueueIsBoundedAndStoppingRunsWhatWasQueued) {
  auto db = temp_db("bound");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)), /*max_queued=*/3);
  std::atomic<bool> release{false};
  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    while (!release) std::this_thread::yield();
    return {};
  }, nullptr));
  while (executor.queued() != 0) std::this_thread::yield();  // the blocker is running
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(executor.submit([&](store::Store&) -> Result<void> { ++ran; return {}; }, nullptr));
  EXPECT_FALSE(executor.submit([&](store::Store&) -> Result<void> { ++ran; return {}; }, nullptr));
  release = true;
  executor.drain_and_stop();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  std::filesystem::remove_all(db.parent_path());
}

}  // namespace
}  // namespace bulwark::server
