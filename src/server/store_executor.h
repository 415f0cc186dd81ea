// StoreExecutor: the one thread that touches the server's Store, with group commit, and a
// second thread that makes its commits durable.
//
// Connections submit jobs; the store thread takes every job waiting (up to max_batch) and runs
// them with Store::run_batch_unsynced, one transaction for all of them. The sync thread then
// makes that commit durable (Store::sync_commits) and only then calls each job's completion
// with its own result: nothing is answered before it is on disk. Meanwhile the store thread
// already runs the next batch, so a slow disk sync no longer holds up the statements queued
// behind it, and the next sync covers every batch committed during the last one. Under load
// many sends share one commit and one sync (the "group commit" lever of
// shared/notes/server-anchors.md §5); an optional commit window lets a small batch wait a
// little for company.
//
// A failed sync is not retried: the kernel may already have dropped the pages it could not
// write, so a later sync that succeeds would prove nothing. Every job waiting for a sync then
// fails with Errc::unavailable (its commit may or may not survive, so not "nothing stored"),
// and the executor refuses all further work (submit returns false) until the server is
// restarted and SQLite recovers the database from what is really on disk. A store whose failed
// sync is not final (Store::sync_failure_is_final: PostgreSQL, whose next successful sync
// proves the commits since) fails only the jobs waiting for that sync, with Errc::unavailable,
// and carries on.
//
// Bounded: at most `max_queued` jobs wait, counting those committed but not yet synced;
// submit() refuses more (the caller answers UNAVAILABLE) instead of growing without limit.
// Completions run on the sync thread and must only post work elsewhere (to a connection's
// strand), never block.
#pragma once

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
  // What a job does to the store. A read shares no commit with anything, so it never waits
  // for the commit window; and when every commit before it is already durable, it completes
  // as soon as its batch ran, without a trip through the sync thread (what it read cannot be
  // taken back by a crash). A read-only job that writes anyway is a bug: its write would be
  // answered before it is durable.
  enum class Access { write, read_only };

  using CommitWindow = StoreCommitWindow;

  StoreExecutor(std::unique_ptr<store::Store> store,
                std::size_t max_queued = default_store_queue_bound,
                std::size_t max_batch = default_store_max_batch,
                StoreCommitWindow commit_window = {});
  ~StoreExecutor();
  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;

  // Queues `job`; `done` gets its result once the batch holding it is durable (or failed).
  // Returns false, without queueing, when the queue is full or the executor is stopping.
  // `rerun`: whether the job may run twice (store::Store::JobRerun): consecutive such jobs share
  // one savepoint.
  [[nodiscard]] bool submit(store::Store::Job job, Completion done, Access access = Access::write,
                            store::Store::JobRerun rerun = store::Store::JobRerun::never);

  // Deletes envelopes a device acknowledged. Cheaper than a job each, which matters since
  // every message ends in one: no completion, and all the deletes waiting when a batch starts
  // run as a single job of it. A failed delete is logged and counted (delete_failures()); the
  // envelope is delivered again and the client's deduplication drops it, so nothing is lost.
  // Accepted even when the queue is full: a delete only shrinks the store, and deletes are
  // bounded anyway (a device acknowledges only envelopes in flight to it, at most
  // max_unacked_envelopes). Refusing them under load left acknowledged envelopes behind, and a
  // store full of those made every later send slower (measured: 5x the disk writes per
  // message). False, without queueing, only when the executor is stopping or has failed.
  [[nodiscard]] bool submit_delete(const store::DeviceAddress& device,
                                   std::vector<std::uint64_t> seqs);

  // Runs and syncs every job already queued, then stops both threads. Further submits are
  // refused.
  void drain_and_stop();

  [[nodiscard]] std::size_t queued() const;
  // Nothing queued, no batch running and none waiting for its sync (every completion called).
  [[nodiscard]] bool idle() const;
  // A sync failed: every job since has failed and submits are refused.
  [[nodiscard]] bool failed() const { return failed_.load(); }
  [[nodiscard]] std::uint64_t batches() const;
  [[nodiscard]] std::uint64_t jobs_run() const;
  [[nodiscard]] std::uint64_t delete_failures() const;
  // How long each batch's statements and commit took (without the sync).
  [[nodiscard]] DurationHistogram batch_durations() const;
  // How long each sync of the committed batches took. A slow disk shows here first: every
  // send it covers waits for it.
  [[nodiscard]] DurationHistogram sync_durations() const;
  // How long the oldest job of each batch waited before the batch started: a store thread
  // kept off the CPU, or a queue backed up behind slow batches, shows here.
  [[nodiscard]] DurationHistogram queue_waits() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Task {
    store::Store::Job job;
    Completion done;
    Clock::time_point queued_at;
    Access access = Access::write;
    store::Store::JobRerun rerun = store::Store::JobRerun::never;
  };
  struct Delete {
    store::DeviceAddress device;
    std::vector<std::uint64_t> seqs;
  };
  // Committed, waiting for the sync thread: the completions of one batch and their results.
  struct Committed {
    std::vector<Completion> done;
    std::vector<Result<void>> results;
  };
  // Counts slow events (batches, syncs) and says when to log them: at most one warning per
  // interval, with how many there were since the last.
  class SlowWarnings {
   public:
    // How many slow events to report now (0: `took` was not slow, or not yet time again).
    std::uint64_t record(Clock::duration took, Clock::time_point now);

   private:
    Clock::time_point last_warning_{};
    std::uint64_t unreported_ = 0;
  };
  void run();
  void sync_run();
  // Hands a committed batch to the sync thread.
  void pass_to_sync(std::vector<Task>& batch, std::vector<Result<void>> results);
  // Calls every completion of `groups` with its result, or with `failure` when set.
  static void complete(std::vector<Committed>& groups, const std::optional<Error>& failure);
  // With mutex_ held and something waiting: when the oldest waiting job was queued.
  [[nodiscard]] Clock::time_point oldest_queued_at_locked() const;
  [[nodiscard]] std::size_t waiting() const { return tasks_.size() + deletes_.size(); }
  // With mutex_ held: what counts against max_queued.
  [[nodiscard]] std::size_t held() const { return waiting() + unsynced_jobs_.load(); }
  // Called with the lock held after queueing: the first job wakes an idle thread, and with a
  // commit window so does reaching its size; the others would only make it re-check.
  [[nodiscard]] bool worth_waking() const {
    std::size_t count = waiting();
    return commit_window_.window.count() == 0 || count == 1 ||
           count >= commit_window_.window_jobs;
  }
  // With mutex_ held: whether anything waiting writes (only writes share commits).
  [[nodiscard]] bool writes_waiting() const { return writes_waiting_ > 0 || !deletes_.empty(); }
  // Completes a batch of reads at once when no commit is still waiting for its sync; false
  // when it must go through the sync thread like any other batch.
  [[nodiscard]] bool complete_reads_now(std::vector<Task>& batch,
                                        std::vector<Result<void>>& results);

  std::unique_ptr<store::Store> store_;
  std::size_t max_queued_;
  std::size_t max_batch_;
  CommitWindow commit_window_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::size_t writes_waiting_ = 0;  // tasks_ that are not read-only
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
  SlowWarnings slow_batches_;

  // The sync thread's side.
  mutable std::mutex sync_mutex_;
  std::condition_variable sync_wake_;
  std::vector<Committed> unsynced_;
  bool syncing_ = false;  // the sync thread holds groups it has not completed yet
  bool sync_stopping_ = false;
  DurationHistogram sync_durations_;
  SlowWarnings slow_syncs_;
  // Jobs committed whose completions have not been called yet (read under mutex_ by submit).
  std::atomic<std::size_t> unsynced_jobs_{0};
  std::atomic<bool> failed_{false};

  std::thread sync_thread_;
  std::thread thread_;
};

}  // namespace bulwark::server
