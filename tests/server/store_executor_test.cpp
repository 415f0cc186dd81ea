#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <sched.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "server/store_executor.h"
#include "store/sqlite_store.h"
#include "../store/conformance.h"

namespace bulwark::server {
namespace {

std::filesystem::path temp_db(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("bulwark-executor-" + std::to_string(::getpid()) + name);
  std::filesystem::remove_all(dir);
  return dir / "bulwark.db";
}

// Keeps the calling thread busy (not asleep) until `deadline`: the time a job takes or waits.
void busy_until(std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
}

// Submits a job that holds the store thread until `release` and returns once it is running, so
// that the jobs submitted next queue up behind it.
void hold_store_thread(StoreExecutor& executor, std::atomic<bool>& release) {
  ASSERT_TRUE(executor.submit([&release](store::Store&) -> Result<void> {
    while (!release) std::this_thread::yield();
    return {};
  }, nullptr));
  while (executor.queued() != 0) std::this_thread::yield();
}

// Polls `done` for up to 10 s: for what another thread does without telling this one. Bounded,
// so a regression fails the test instead of hanging it.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// A store whose first sync blocks until released (and then returns `first_result`), so that
// a test can watch what happens while a sync is in flight. Later syncs pass straight through.
class HeldSync {
 public:
  explicit HeldSync(Result<void> first_result = {}) : first_result_(std::move(first_result)) {}
  std::unique_ptr<store::Store> open(const std::filesystem::path& db) {
    store::SqliteOptions options;
    options.before_sync = [this]() -> Result<void> {
      if (++calls_ > 1) return {};
      entered_ = true;
      while (!released_) std::this_thread::yield();
      return first_result_;
    };
    return std::move(*store::open_sqlite_store(db, std::move(options)));
  }
  [[nodiscard]] bool wait_entered() const { return eventually([this] { return entered_.load(); }); }
  void release() { released_ = true; }
  [[nodiscard]] int calls() const { return calls_; }

 private:
  Result<void> first_result_;
  std::atomic<int> calls_{0};
  std::atomic<bool> entered_{false};
  std::atomic<bool> released_{false};
};

store::PendingCode code_for(const std::string& phone) {
  return {phone, Bytes(32), Bytes(16), 0, 1, 0};
}

TEST(StoreExecutorTest, JobsQueuedTogetherShareOneCommitAndAFailingJobIsUndoneAlone) {
  auto db = temp_db("share");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)));
  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
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

TEST(StoreExecutorTest, TheQueueBoundsJobsNotDeletesAndStoppingRunsWhatWasQueued) {
  auto db = temp_db("bound");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)), /*max_queued=*/3);
  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(executor.submit([&](store::Store&) -> Result<void> { ++ran; return {}; }, nullptr));
  EXPECT_FALSE(executor.submit([&](store::Store&) -> Result<void> { ++ran; return {}; }, nullptr));
  // Deletes are still taken: they only shrink the store, and the unacked window bounds them.
  EXPECT_TRUE(executor.submit_delete(store::DeviceAddress{}, {1}));
  release = true;
  executor.drain_and_stop();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(executor.delete_failures(), 0u);
  EXPECT_FALSE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  EXPECT_FALSE(executor.submit_delete(store::DeviceAddress{}, {2}));
  std::filesystem::remove_all(db.parent_path());
}


// Acks become one delete job per batch, run before the batch's other jobs: a queue read queued
// before the delete already sees the acknowledged envelopes gone, never a deleted one again.
TEST(StoreExecutorTest, DeletesOfABatchRunFirstAsOneJob) {
  using namespace bulwark::store;
  using namespace bulwark::store::conformance;
  auto db = temp_db("deletes");
  StoreExecutor executor(std::move(*open_sqlite_store(db)));
  DeviceAddress device{};
  std::vector<Envelope> three;
  ASSERT_TRUE(executor.submit([&](Store& store) -> Result<void> {
    AccountId id = BULWARK_TRY(store.register_account(new_account(1), new_device(1)));
    device = DeviceAddress{id, DeviceId{1}};
    three = {envelope(device, 1), envelope(device, 2), envelope(device, 3)};
    return store.enqueue(three);
  }, nullptr));
  while (!executor.idle()) std::this_thread::yield();

  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
  std::size_t seen = 99;
  ASSERT_TRUE(executor.submit([&](Store& store) -> Result<void> {
    seen = BULWARK_TRY(store.queued(device, 0, 100)).size();
    return {};
  }, nullptr));
  ASSERT_TRUE(executor.submit_delete(device, {three[0].seq}));
  ASSERT_TRUE(executor.submit_delete(device, {three[1].seq}));
  EXPECT_EQ(executor.queued(), 3u);
  std::uint64_t jobs_before = executor.jobs_run();
  release = true;
  while (!executor.idle()) std::this_thread::yield();
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(executor.jobs_run() - jobs_before, 3u);  // the blocker, one delete job, the read
  EXPECT_EQ(executor.delete_failures(), 0u);
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}


// A commit window gathers jobs that arrive one by one into one commit, without waiting the
// window out once enough have come; stopping cuts the window short.
TEST(StoreExecutorTest, CommitWindowGathersASmallBatchAndStoppingCutsItShort) {
  auto db = temp_db("window");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)), 65536, 512,
                         StoreCommitWindow{std::chrono::seconds(60), 3});
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
      ++ran;
      return {};
    }, nullptr));
  }
  while (!executor.idle()) std::this_thread::yield();  // long before 60 s: the batch filled
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(executor.batches(), 1u);

  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    ++ran;
    return {};
  }, nullptr));
  executor.drain_and_stop();  // does not wait out the window for the lone job
  EXPECT_EQ(ran.load(), 4);
  EXPECT_EQ(executor.batches(), 2u);
  std::filesystem::remove_all(db.parent_path());
}

// The window counts from a job's arrival, not from when the store thread got to it: a job that
// already waited out the window behind a long batch is committed as soon as that batch ends.
// (Waiting a window from then on would take at least 1 s; the bound below leaves half of it
// for a slow machine.)
TEST(StoreExecutorTest, CommitWindowCountsTheTimeAJobAlreadyWaited) {
  using SteadyClock = std::chrono::steady_clock;
  constexpr auto window = std::chrono::milliseconds(1000);
  auto db = temp_db("window-from-arrival");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)), 65536, 512,
                         StoreCommitWindow{window, 64});
  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
  std::atomic<bool> lone_ran{false};
  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    lone_ran = true;
    return {};
  }, nullptr));
  const auto queued = SteadyClock::now();
  busy_until(queued + window + std::chrono::milliseconds(100));
  const auto released = SteadyClock::now();
  release = true;
  while (!executor.idle() && SteadyClock::now() < released + 2 * window) std::this_thread::yield();
  const auto waited_after_release = SteadyClock::now() - released;
  EXPECT_TRUE(lone_ran.load());
  EXPECT_EQ(executor.batches(), 2u);
  EXPECT_LT(waited_after_release, window / 2);
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}


// A fresh executor that has run `body` as its only job, then stopped (its counters stay).
class OneJob {
 public:
  OneJob(const char* name, std::function<void()> body)
      : db_(temp_db(name)), executor_(std::move(*store::open_sqlite_store(db_))) {
    EXPECT_TRUE(executor_.submit([body = std::move(body)](store::Store&) -> Result<void> {
      body();
      return {};
    }, nullptr));
    executor_.drain_and_stop();
  }
  ~OneJob() { std::filesystem::remove_all(db_.parent_path()); }
  [[nodiscard]] const StoreExecutor& executor() const { return executor_; }

 private:
  std::filesystem::path db_;
  StoreExecutor executor_;
};

// Every batch's duration is recorded; a batch kept busy for 3 ms cannot land in the 1 or 2 ms
// buckets (a lower bound only, so a slow machine cannot make this fail).
TEST(StoreExecutorTest, RecordsHowLongEachBatchTook) {
  OneJob run("durations", [] {
    busy_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(3));
  });
  const DurationHistogram durations = run.executor().batch_durations();
  EXPECT_EQ(durations.count(), run.executor().batches());
  EXPECT_EQ(durations.count(), 1u);
  EXPECT_GE(durations.sum_seconds(), 0.003);
  EXPECT_EQ(durations.at_most(1), 0u);  // <= 2 ms
}

// The store thread runs SCHED_BATCH, so that waking it never preempts the I/O thread that
// submitted the job (see run()); the submitting thread keeps its own policy.
TEST(StoreExecutorTest, StoreThreadRunsWithBatchScheduling) {
  int policy = -1;
  OneJob run("policy", [&] { policy = ::sched_getscheduler(0); });
  EXPECT_EQ(policy, SCHED_BATCH);
  EXPECT_EQ(::sched_getscheduler(0), SCHED_OTHER);
}

// Each batch records how long its oldest job waited. Here a delete queued behind a job that
// holds the thread for at least 3 ms waits at least that long (a lower bound only, so a slow
// machine cannot make this fail); deletes carry no job of their own, so this checks that
// their queueing time is kept too.
TEST(StoreExecutorTest, RecordsHowLongTheOldestJobOfEachBatchWaited) {
  auto db = temp_db("waits");
  StoreExecutor executor(std::move(*store::open_sqlite_store(db)));
  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
  ASSERT_TRUE(executor.submit_delete(store::DeviceAddress{}, {1}));
  busy_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(3));
  release = true;
  executor.drain_and_stop();
  const DurationHistogram waits = executor.queue_waits();
  EXPECT_EQ(executor.batches(), 2u);
  EXPECT_EQ(waits.count(), 2u);
  EXPECT_GE(waits.sum_seconds(), 0.003);
  EXPECT_LE(waits.at_most(1), 1u);  // the delete's wait is not in the buckets up to 2 ms
  std::filesystem::remove_all(db.parent_path());
}

// A job is answered only once the sync covering its commit has returned; meanwhile the store
// thread already runs the next batch, whose sync then follows.
TEST(StoreExecutorTest, AnswersWaitForTheSyncWhileTheNextBatchAlreadyRuns) {
  auto db = temp_db("overlap");
  HeldSync sync;
  StoreExecutor executor(sync.open(db));
  std::atomic<bool> first_done{false}, second_ran{false}, second_done{false};
  ASSERT_TRUE(executor.submit(
      [](store::Store& store) { return store.put_verification_code(code_for("+11")); },
      [&](Result<void> result) { first_done = result.has_value(); }));
  ASSERT_TRUE(sync.wait_entered());
  ASSERT_TRUE(executor.submit([&](store::Store& store) -> Result<void> {
    second_ran = true;
    return store.put_verification_code(code_for("+12"));
  }, [&](Result<void> result) { second_done = result.has_value(); }));
  ASSERT_TRUE(eventually([&] { return executor.batches() == 2; }));  // committed, not synced
  EXPECT_TRUE(second_ran);
  EXPECT_FALSE(first_done);
  EXPECT_FALSE(second_done);
  EXPECT_FALSE(executor.idle());
  sync.release();
  ASSERT_TRUE(eventually([&] { return executor.idle(); }));
  EXPECT_TRUE(first_done);
  EXPECT_TRUE(second_done);
  EXPECT_EQ(sync.calls(), 2);
  EXPECT_EQ(executor.sync_durations().count(), 2u);
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}

// A read shares no commit: it runs at once whatever the window, and with nothing committed
// waiting for the disk it is answered without a sync (the window here is an hour; the wait
// below is bounded at 10 s).
TEST(StoreExecutorTest, AReadSkipsTheCommitWindowAndTheSyncWhenNothingIsUnsynced) {
  auto db = temp_db("read");
  HeldSync sync;
  StoreExecutor executor(sync.open(db), 65536, 512,
                         StoreCommitWindow{std::chrono::hours(1), 64});
  std::atomic<bool> read_done{false};
  ASSERT_TRUE(executor.submit(
      [](store::Store& store) { return store.channel_by_handle("nobody").map([](auto) {}); },
      [&](Result<void> result) { read_done = result.has_value(); },
      StoreExecutor::Access::read_only));
  ASSERT_TRUE(eventually([&] { return read_done.load(); }));
  EXPECT_EQ(sync.calls(), 0);  // answered without a sync
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}

// A read that may have seen a commit not yet on disk waits for that commit's sync: a crash
// could still take back what it read.
TEST(StoreExecutorTest, AReadBehindAnUnsyncedCommitWaitsForItsSync) {
  auto db = temp_db("read-behind");
  HeldSync sync;
  StoreExecutor executor(sync.open(db));
  std::atomic<bool> write_done{false}, read_ran{false}, read_done{false};
  ASSERT_TRUE(executor.submit(
      [](store::Store& store) { return store.put_verification_code(code_for("+11")); },
      [&](Result<void> result) { write_done = result.has_value(); }));
  ASSERT_TRUE(sync.wait_entered());
  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    read_ran = true;
    return {};
  }, [&](Result<void> result) { read_done = result.has_value(); },
      StoreExecutor::Access::read_only));
  ASSERT_TRUE(eventually([&] { return executor.batches() == 2; }));
  EXPECT_TRUE(read_ran);
  EXPECT_FALSE(read_done);
  EXPECT_FALSE(write_done);
  sync.release();
  ASSERT_TRUE(eventually([&] { return executor.idle(); }));
  EXPECT_TRUE(write_done);
  EXPECT_TRUE(read_done);
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}

// Jobs committed but not yet synced still count against the queue bound.
TEST(StoreExecutorTest, JobsWaitingForTheirSyncCountAgainstTheBound) {
  auto db = temp_db("syncbound");
  HeldSync sync;
  StoreExecutor executor(sync.open(db), /*max_queued=*/2);
  ASSERT_TRUE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  ASSERT_TRUE(sync.wait_entered());
  ASSERT_TRUE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  ASSERT_TRUE(eventually([&] { return executor.batches() == 2; }));
  EXPECT_EQ(executor.queued(), 0u);
  EXPECT_FALSE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  sync.release();
  ASSERT_TRUE(eventually([&] { return executor.idle(); }));
  EXPECT_TRUE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}

// A failed sync is not retried (the kernel may have dropped the writes): the jobs it covered
// fail, a job still queued fails without running, and all later work is refused.
TEST(StoreExecutorTest, AFailedSyncFailsItsJobsAndRefusesAllLaterWork) {
  auto db = temp_db("syncfail");
  HeldSync sync(fail(Errc::storage, "sync the write-ahead log: fdatasync: Input/output error"));
  StoreExecutor executor(sync.open(db));
  std::optional<Result<void>> covered, queued;
  std::atomic<int> answered{0};
  ASSERT_TRUE(executor.submit(
      [](store::Store& store) { return store.put_verification_code(code_for("+11")); },
      [&](Result<void> result) { covered = std::move(result); ++answered; }));
  ASSERT_TRUE(sync.wait_entered());
  std::atomic<bool> release{false};
  hold_store_thread(executor, release);
  bool queued_ran = false;
  ASSERT_TRUE(executor.submit([&](store::Store&) -> Result<void> {
    queued_ran = true;
    return {};
  }, [&](Result<void> result) { queued = std::move(result); ++answered; }));
  sync.release();
  ASSERT_TRUE(eventually([&] { return executor.failed(); }));
  release = true;
  ASSERT_TRUE(eventually([&] { return answered == 2 && executor.idle(); }));
  // Not "nothing was stored": the commit may yet be recovered from the disk after a restart.
  ASSERT_FALSE(covered->has_value());
  EXPECT_EQ(covered->error().code, Errc::unavailable);
  EXPECT_NE(covered->error().context.find("may or may not have been stored"), std::string::npos);
  EXPECT_FALSE(queued_ran);
  ASSERT_FALSE(queued->has_value());
  EXPECT_EQ(queued->error().code, Errc::unavailable);
  EXPECT_FALSE(executor.submit([](store::Store&) -> Result<void> { return {}; }, nullptr));
  EXPECT_FALSE(executor.submit_delete(store::DeviceAddress{}, {1}));
  EXPECT_EQ(sync.calls(), 1);  // nothing synced after the failure
  executor.drain_and_stop();
  std::filesystem::remove_all(db.parent_path());
}

}  // namespace
}  // namespace bulwark::server
