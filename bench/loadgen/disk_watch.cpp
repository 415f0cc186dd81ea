#include "disk_watch.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>

#include "disk_probe.h"

namespace bulwark::loadgen {
namespace {
constexpr auto interval = std::chrono::milliseconds(20);
}  // namespace

DiskWatch::DiskWatch(const std::filesystem::path& dir)
    : file_(dir / "fsync-watch"), thread_([this] { run(); }) {}

DiskWatch::~DiskWatch() { stop(); }

LatencyHistogram DiskWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::error_code ignored;
  std::filesystem::remove(file_, ignored);
  return syncs_;
}

void DiskWatch::run() {
  // Above the generator's SCHED_FIFO priority (inherited from the thread that started this
  // one), so the probe times the disk, not its wait for the generator's CPU. Best effort.
  sched_param above_generator{};
  above_generator.sched_priority = 2;
  ::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &above_generator);
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::unique_lock lock(mutex_);
  for (char tag = 0; !stopping_; ++tag) {
    lock.unlock();
    const std::int64_t took = timed_sync(fd, 0, tag);  // rewriting one block, as the WAL does
    lock.lock();
    if (took < 0) break;
    syncs_.record(took);
    wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
  ::close(fd);
}

}  // namespace bulwark::loadgen
