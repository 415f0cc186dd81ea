#include "server/store_executor.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace bulwark::server {
namespace {
// A batch this slow stalled every send in it well past the latency goals; worth an operator's
// attention (usually a disk sync), but not a log line each time.
constexpr auto slow_batch = std::chrono::milliseconds(100);
constexpr auto slow_warning_interval = std::chrono::seconds(10);

double seconds(std::chrono::steady_clock::duration took) {
  return std::chrono::duration<double>(took).count();
}
long long whole_ms(std::chrono::steady_clock::duration took) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
}
}  // namespace

StoreExecutor::StoreExecutor(std::unique_ptr<store::Store> store, std::size_t max_queued,
                             std::size_t max_batch, CommitWindow commit_window)
    : store_(std::move(store)),
      max_queued_(max_queued),
      max_batch_(max_batch),
      commit_window_(commit_window) {
  sync_thread_ = std::thread([this] { sync_run(); });
  thread_ = std::thread([this] { run(); });
}

StoreExecutor::~StoreExecutor() { drain_and_stop(); }

bool StoreExecutor::submit(store::Store::Job job, Completion done, Access access,
                           store::Store::JobRerun rerun) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || failed_ || held() >= max_queued_) return false;
    tasks_.push_back(Task{std::move(job), std::move(done), Clock::now(), access, rerun});
    if (access == Access::write) ++writes_waiting_;
    // A read behind nothing but reads runs now: the window is only for sharing commits.
    wake = worth_waking() || (access == Access::read_only && !writes_waiting());
  }
  if (wake) wake_.notify_one();
  return true;
}

bool StoreExecutor::submit_delete(const store::DeviceAddress& device,
                                  std::vector<std::uint64_t> seqs) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || failed_) return false;  // no bound: see the header
    if (deletes_.empty()) first_delete_queued_at_ = Clock::now();
    deletes_.push_back(Delete{device, std::move(seqs)});
    wake = worth_waking();
  }
  if (wake) wake_.notify_one();
  return true;
}

void StoreExecutor::drain_and_stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(sync_mutex_);
    sync_stopping_ = true;
  }
  sync_wake_.notify_one();
  if (sync_thread_.joinable()) sync_thread_.join();
}

std::size_t StoreExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return waiting();
}

bool StoreExecutor::idle() const {
  std::lock_guard lock(mutex_);
  // A batch counts as unsynced before it stops running, so there is no gap between the two.
  return waiting() == 0 && !running_ && unsynced_jobs_.load() == 0;
}

std::uint64_t StoreExecutor::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::uint64_t StoreExecutor::jobs_run() const {
  std::lock_guard lock(mutex_);
  return jobs_run_;
}

std::uint64_t StoreExecutor::delete_failures() const {
  std::lock_guard lock(mutex_);
  return delete_failures_;
}

DurationHistogram StoreExecutor::batch_durations() const {
  std::lock_guard lock(mutex_);
  return batch_durations_;
}

DurationHistogram StoreExecutor::queue_waits() const {
  std::lock_guard lock(mutex_);
  return queue_waits_;
}

DurationHistogram StoreExecutor::sync_durations() const {
  std::lock_guard lock(sync_mutex_);
  return sync_durations_;
}

StoreExecutor::Clock::time_point StoreExecutor::oldest_queued_at_locked() const {
  Clock::time_point oldest = tasks_.empty() ? Clock::time_point::max() : tasks_.front().queued_at;
  if (!deletes_.empty()) oldest = std::min(oldest, first_delete_queued_at_);
  return oldest;
}

std::uint64_t StoreExecutor::SlowWarnings::record(Clock::duration took, Clock::time_point now) {
  if (took < slow_batch) return 0;
  ++unreported_;
  if (now - last_warning_ < slow_warning_interval) return 0;
  last_warning_ = now;
  return std::exchange(unreported_, 0);
}

void StoreExecutor::pass_to_sync(std::vector<Task>& batch, std::vector<Result<void>> results) {
  Committed committed;
  committed.done.reserve(batch.size());
  for (Task& task : batch) committed.done.push_back(std::move(task.done));
  committed.results = std::move(results);
  unsynced_jobs_ += batch.size();
  {
    std::lock_guard lock(sync_mutex_);
    unsynced_.push_back(std::move(committed));
  }
  sync_wake_.notify_one();
}

bool StoreExecutor::complete_reads_now(std::vector<Task>& batch,
                                       std::vector<Result<void>>& results) {
  for (const Task& task : batch)
    if (task.access != Access::read_only) return false;
  {
    // Held while completing: a sync that starts meanwhile covers only later batches, and the
    // sync thread's completions cannot overtake these.
    std::lock_guard lock(sync_mutex_);
    if (syncing_ || !unsynced_.empty()) return false;
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (batch[i].done) batch[i].done(std::move(results[i]));
  }
  return true;
}

void StoreExecutor::complete(std::vector<Committed>& groups, const std::optional<Error>& failure) {
  for (Committed& group : groups) {
    for (std::size_t i = 0; i < group.done.size(); ++i) {
      if (!group.done[i]) continue;
      if (failure) {
        group.done[i](tl::unexpected(*failure));
      } else {
        group.done[i](std::move(group.results[i]));
      }
    }
  }
}

void StoreExecutor::sync_run() {
  // Left SCHED_OTHER, unlike the store thread: what it wakes up for is answering sends, so it
  // should get the CPU as soon as their sync is done.
  std::vector<Committed> groups;
  for (;;) {
    {
      std::unique_lock lock(sync_mutex_);
      sync_wake_.wait(lock, [this] { return sync_stopping_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // stopping, and everything committed has been synced
      groups.swap(unsynced_);
      syncing_ = true;
    }
    std::size_t jobs = 0;
    for (const Committed& group : groups) jobs += group.done.size();
    std::optional<Error> failure;
    if (failed_) {
      failure = Error{Errc::unavailable, "the server's disk failed; retry later"};
    } else {
      const auto started = Clock::now();
      Result<void> synced = store_->sync_commits();
      const auto finished = Clock::now();
      std::uint64_t slow = 0;
      {
        std::lock_guard lock(sync_mutex_);
        sync_durations_.observe(seconds(finished - started));
        slow = slow_syncs_.record(finished - started, finished);
      }
      if (slow > 0) {
        spdlog::warn("slow disk: a store sync covering {} jobs took {} ms ({} sync(s) over {} ms "
                     "since the last warning); every send waits for its sync",
                     jobs, whole_ms(finished - started), slow, whole_ms(slow_batch));
      }
      if (!synced && !store_->sync_failure_is_final()) {
        // PostgreSQL: the commits wait in its WAL and the next sync that succeeds proves the
        // ones made since; only these jobs' outcome is unknown.
        spdlog::warn(
            "store: {}. The {} sends waiting for this sync fail (outcome unknown); "
            "later ones are synced again",
            synced.error().describe(), jobs);
        failure = Error{Errc::unavailable,
                        "the database could not confirm this was stored: it may or may not have "
                        "been; retry later"};
      } else if (!synced) {
        failed_ = true;
        spdlog::error("store: {}. Sends since the last good sync fail and new work is refused "
                      "until the server restarts: the kernel may have dropped the writes it "
                      "could not sync", synced.error().describe());
        // Unavailable, not "nothing was stored": the commit may yet be recovered from disk.
        failure = Error{Errc::unavailable,
                        "the server's disk failed: this may or may not have been stored; retry "
                        "later"};
      }
    }
    complete(groups, failure);
    unsynced_jobs_ -= jobs;
    groups.clear();
    {
      std::lock_guard lock(sync_mutex_);
      syncing_ = false;
    }
  }
}

void StoreExecutor::run() {
  // SCHED_BATCH: a submit that wakes this thread does not preempt the I/O thread that made it
  // (they may share a core). The I/O thread finishes the events in hand, adding to the batch,
  // instead of switching away after each one. Still fair CFS time otherwise. Measured side by
  // side on one core: 11% less CPU per message at half of peak, 12% more at peak.
  sched_param no_priority{};
  if (::sched_setscheduler(0, SCHED_BATCH, &no_priority) != 0)
    spdlog::debug("store thread stays SCHED_OTHER: {}", std::strerror(errno));
  std::vector<Task> batch;
  std::vector<store::Store::Job> jobs;
  std::vector<store::Store::JobRerun> reruns;
  std::vector<Delete> deletes;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || waiting() > 0; });
      if (waiting() == 0) return;  // stopping, and everything queued has run
      // Jobs only join at the back, so the oldest stays the oldest through the window.
      const Clock::time_point oldest = oldest_queued_at_locked();
      if (commit_window_.window.count() > 0 && waiting() < commit_window_.window_jobs &&
          writes_waiting()) {
        // Counted from the oldest job's arrival: time it already spent waiting for this thread
        // (busy with the last batch, or off the CPU) is part of its window, not added to it.
        wake_.wait_until(lock, oldest + commit_window_.window, [this] {
          return stopping_ || waiting() >= commit_window_.window_jobs;
        });
      }
      while (!tasks_.empty() && batch.size() < max_batch_) {
        if (tasks_.front().access == Access::write) --writes_waiting_;
        batch.push_back(std::move(tasks_.front()));
        tasks_.pop_front();
      }
      deletes.swap(deletes_);
      running_ = true;
      queue_waits_.observe(std::chrono::duration<double>(Clock::now() - oldest).count());
    }
    if (!deletes.empty()) {
      // First in the batch: a queue read queued after an ack must not see the envelope again.
      batch.insert(batch.begin(), Task{[&deletes](store::Store& store) -> Result<void> {
        for (const Delete& d : deletes) BULWARK_TRY(store.delete_envelopes(d.device, d.seqs));
        return {};
      }, [this, count = deletes.size()](Result<void> result) {
        if (result) return;
        spdlog::warn("acknowledged envelopes of {} acks not deleted (they will be delivered "
                     "again and dropped as duplicates): {}", count, result.error().describe());
        std::lock_guard lock(mutex_);
        ++delete_failures_;
      }, {}, Access::write, store::Store::JobRerun::allowed});  // deleting twice deletes once
    }
    jobs.clear();
    reruns.clear();
    for (Task& task : batch) {
      jobs.push_back(std::move(task.job));
      reruns.push_back(task.rerun);
    }
    const auto started = Clock::now();
    // After a failed sync nothing more is written: the sync thread fails these jobs unrun.
    const bool run = !failed_;
    std::vector<Result<void>> results =
        run ? store_->run_batch_unsynced(jobs, reruns) : std::vector<Result<void>>(batch.size());
    const auto finished = Clock::now();
    if (!run || !complete_reads_now(batch, results)) pass_to_sync(batch, std::move(results));
    std::uint64_t slow = 0;
    {
      std::lock_guard lock(mutex_);
      if (run) {
        ++batches_;
        jobs_run_ += batch.size();
      }
      running_ = false;
      batch_durations_.observe(seconds(finished - started));
      slow = slow_batches_.record(finished - started, finished);
    }
    if (slow > 0) {
      spdlog::warn("slow store: a batch of {} jobs took {} ms to run and commit ({} batch(es) "
                   "over {} ms since the last warning)", batch.size(),
                   whole_ms(finished - started), slow, whole_ms(slow_batch));
    }
    batch.clear();
    deletes.clear();
  }
}

}  // namespace bulwark::server
