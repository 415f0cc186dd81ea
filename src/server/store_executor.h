// StoreExecutor: the one thread that touches the server's Store, with group commit.
//
// Connections submit jobs; the thread takes every job waiting (up to max_batch) and runs them
// with Store::run_batch, one transaction and one fsync for all of them, then calls each job's
// completion with its own result. So under load many sends share one commit (the "group
// commit" lever of shared/notes/server-anchors.md §5); an optional commit window lets a small
// batch wait a little for company.
//
// Bounded: at most `max_queued` jobs wait; submit() refuses more (the caller answers
// UNAVAILABLE) instead of growing without limit. Completions run on the executor thread and
// must only post work elsewhere (to a connection's strand), never block.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/duration_histogram.h"
#include "store/store.h"

namespace bulwark::server {

// Commit window: while fewer than `window_jobs` jobs wait, the store thread holds the batch
// until the oldest of them has waited `window` since it was queued, so that moderate load also
// shares commits (one fsync and one WAL append for many sends) instead of paying for one each.
// Counting from the job's arrival bounds the latency it adds: time already spent waiting for
// the thread is part of the window. Zero: no waiting.
struct StoreCommitWindow {
  std::chrono::microseconds window{0};
  std::size_t window_jobs = 0;
};

inline constexpr std::size_t default_store_queue_bound = 65536;
inline constexpr std::size_t default_store_max_batch = 512;

class StoreExecutor {
 public:
  using Completion = std::function<void(Result<void>)>;

  using CommitWindow = StoreCommitWindow;

  StoreExecutor(std::unique_ptr<store::Store> store,
                std::size_t max_queued = default_store_queue_bound,
                std::size_t max_batch = default_store_max_batch,
                StoreCommitWindow commit_window = {});
  ~StoreExecutor();
  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;

  // Queues `job`; `done` gets its result after the batch holding it committed (or failed).
  // Returns false, without queueing, when the queue is full or the executor is stopping.
  [[nodiscard]] bool submit(store::Store::Job job, Completion done);

  // Deletes envelopes a device acknowledged. Cheaper than a job each, which matters since
  // every message ends in one: no completion, and all the deletes waiting when a batch starts
  // run as a single job of it. A failed delete is logged and counted (delete_failures()); the
  // envelope is delivered again and the client's deduplication drops it, so nothing is lost.
  // False, without queueing, when the queue is full or the executor is stopping.
  [[nodiscard]] bool submit_delete(const store::DeviceAddress& device,
                                   std::vector<std::uint64_t> seqs);

  // Runs every job already queued, then stops the thread. Further submits are refused.
  void drain_and_stop();

  [[nodiscard]] std::size_t queued() const;
  // Nothing queued and no batch running (its completions have all been called).
  [[nodiscard]] bool idle() const;
  [[nodiscard]] std::uint64_t batches() const;
  [[nodiscard]] std::uint64_t jobs_run() const;
  [[nodiscard]] std::uint64_t delete_failures() const;
  // How long each batch took, jobs and commit (its fsync) together. A slow disk sync shows
  // here first: every send of the batch waits for it.
  [[nodiscard]] DurationHistogram batch_durations() const;
  // How long the oldest job of each batch waited before the batch started: a store thread
  // kept off the CPU, or a queue backed up behind slow batches, shows here.
  [[nodiscard]] DurationHistogram queue_waits() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Task {
    store::Store::Job job;
    Completion done;
    Clock::time_point queued_at;
  };
  struct Delete {
    store::DeviceAddress device;
    std::vector<std::uint64_t> seqs;
  };
  void run();
  // With mutex_ held: counts the batch's duration; returns how many slow batches to report
  // now (0: none, or not yet time for another warning).
  std::uint64_t record_batch_locked(Clock::duration took, Clock::time_point now);
  // With mutex_ held and something waiting: when the oldest waiting job was queued.
  [[nodiscard]] Clock::time_point oldest_queued_at_locked() const;
  [[nodiscard]] std::size_t waiting() const { return tasks_.size() + deletes_.size(); }
  // Called with the lock held after queueing: the first job wakes an idle thread, and with a
  // commit window so does reaching its size; the others would only make it re-check.
  [[nodiscard]] bool worth_waking() const {
    std::size_t count = waiting();
    return commit_window_.window.count() == 0 || count == 1 ||
           count >= commit_window_.window_jobs;
  }

  std::unique_ptr<store::Store> store_;
  std::size_t max_queued_;
  std::size_t max_batch_;
  CommitWindow commit_window_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::vector<Delete> deletes_;
  // When the oldest of deletes_ was queued (tasks_ carry their own).
  Clock::time_point first_delete_queued_at_{};
  bool stopping_ = false;
  bool running_ = false;
  std::uint64_t batches_ = 0;
  std::uint64_t jobs_run_ = 0;
  std::uint64_t delete_failures_ = 0;
  DurationHistogram batch_durations_;
  DurationHistogram queue_waits_;
  // Slow batches are logged at most once per interval, with how many there were since.
  Clock::time_point last_slow_warning_{};
  std::uint64_t slow_batches_unreported_ = 0;
  std::thread thread_;
};

}  // namespace bulwark::server
