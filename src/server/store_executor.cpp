#include "server/store_executor.h"

#include <vector>

namespace bulwark::server {

StoreExecutor::StoreExecutor(std::unique_ptr<store::Store> store, std::size_t max_queued,
                             std::size_t max_batch)
    : store_(std::move(store)), max_queued_(max_queued), max_batch_(max_batch) {
  thread_ = std::thread([this] { run(); });
}

StoreExecutor::~StoreExecutor() { drain_and_stop(); }

bool StoreExecutor::submit(store::Store::Job job, Completion done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || tasks_.size() >= max_queued_) return false;
    tasks_.push_back(Task{std::move(job), std::move(done)});
  }
  wake_.notify_one();
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
  return tasks_.size();
}

bool StoreExecutor::idle() const {
  std::lock_guard lock(mutex_);
  return tasks_.empty() && !running_;
}

std::uint64_t StoreExecutor::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::uint64_t StoreExecutor::jobs_run() const {
  std::lock_guard lock(mutex_);
  return jobs_run_;
}

void StoreExecutor::run() {
  std::vector<Task> batch;
  std::vector<store::Store::Job> jobs;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything queued has run
      while (!tasks_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(tasks_.front()));
        tasks_.pop_front();
      }
      running_ = true;
    }
    jobs.clear();
    for (Task& task : batch) jobs.push_back(std::move(task.job));
    std::vector<Result<void>> results = store_->run_batch(jobs);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) batch[i].done(std::move(results[i]));
    }
    {
      std::lock_guard lock(mutex_);
      ++batches_;
      jobs_run_ += batch.size();
      running_ = false;
    }
    batch.clear();
  }
}

}  // namespace bulwark::server
