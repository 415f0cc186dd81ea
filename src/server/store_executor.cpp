#include "server/store_executor.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace bulwark::server {
namespace {
// A batch this slow stalled every send in it well past the latency goals; worth an operator's
// attention (usually a disk sync), but not a log line each time.
constexpr auto slow_batch = std::chrono::milliseconds(100);
constexpr auto slow_batch_warning_interval = std::chrono::seconds(10);
}  // namespace

StoreExecutor::StoreExecutor(std::unique_ptr<store::Store> store, std::size_t max_queued,
                             std::size_t max_batch, CommitWindow commit_window)
    : store_(std::move(store)),
      max_queued_(max_queued),
      max_batch_(max_batch),
      commit_window_(commit_window) {
  thread_ = std::thread([this] { run(); });
}

StoreExecutor::~StoreExecutor() { drain_and_stop(); }

bool StoreExecutor::submit(store::Store::Job job, Completion done) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || waiting() >= max_queued_) return false;
    tasks_.push_back(Task{std::move(job), std::move(done), Clock::now()});
    wake = worth_waking();
  }
  if (wake) wake_.notify_one();
  return true;
}

bool StoreExecutor::submit_delete(const store::DeviceAddress& device,
                                  std::vector<std::uint64_t> seqs) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || waiting() >= max_queued_) return false;
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
}

std::size_t StoreExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return waiting();
}

bool StoreExecutor::idle() const {
  std::lock_guard lock(mutex_);
  return waiting() == 0 && !running_;
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

StoreExecutor::Clock::time_point StoreExecutor::oldest_queued_at_locked() const {
  Clock::time_point oldest = tasks_.empty() ? Clock::time_point::max() : tasks_.front().queued_at;
  if (!deletes_.empty()) oldest = std::min(oldest, first_delete_queued_at_);
  return oldest;
}

std::uint64_t StoreExecutor::record_batch_locked(Clock::duration took, Clock::time_point now) {
  batch_durations_.observe(std::chrono::duration<double>(took).count());
  if (took < slow_batch) return 0;
  ++slow_batches_unreported_;
  if (now - last_slow_warning_ < slow_batch_warning_interval) return 0;
  last_slow_warning_ = now;
  return std::exchange(slow_batches_unreported_, 0);
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
  std::vector<Delete> deletes;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || waiting() > 0; });
      if (waiting() == 0) return;  // stopping, and everything queued has run
      // Jobs only join at the back, so the oldest stays the oldest through the window.
      const Clock::time_point oldest = oldest_queued_at_locked();
      if (commit_window_.window.count() > 0 && waiting() < commit_window_.window_jobs) {
        // Counted from the oldest job's arrival: time it already spent waiting for this thread
        // (busy with the last batch, or off the CPU) is part of its window, not added to it.
        wake_.wait_until(lock, oldest + commit_window_.window, [this] {
          return stopping_ || waiting() >= commit_window_.window_jobs;
        });
      }
      while (!tasks_.empty() && batch.size() < max_batch_) {
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
      }, {}});
    }
    jobs.clear();
    for (Task& task : batch) jobs.push_back(std::move(task.job));
    const auto started = Clock::now();
    std::vector<Result<void>> results = store_->run_batch(jobs);
    const auto finished = Clock::now();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) batch[i].done(std::move(results[i]));
    }
    std::uint64_t slow = 0;
    {
      std::lock_guard lock(mutex_);
      ++batches_;
      jobs_run_ += batch.size();
      running_ = false;
      slow = record_batch_locked(finished - started, finished);
    }
    if (slow > 0) {
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(finished - started);
      spdlog::warn("slow store: a batch of {} jobs took {} ms ({} batch(es) over {} ms since "
                   "the last warning); sends wait for their commit, so check the disk's sync "
                   "latency", batch.size(), took.count(), slow, slow_batch.count());
    }
    batch.clear();
    deletes.clear();
  }
}

}  // namespace bulwark::server
