// DiskWatch: the disk probe of disk_probe.h kept running beside a measured window (a 4 KiB
// write + fdatasync every 20 ms, on its own thread), so that a latency tail can be told apart
// from a disk that stalled by itself, as a shared VM disk does now and then: when the probe's
// own syncs took tens of milliseconds, so did the server's commits, whatever the server did.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "histogram.h"

namespace bulwark::loadgen {

class DiskWatch {
 public:
  // Starts probing a scratch file in `dir` (the server's work directory).
  explicit DiskWatch(const std::filesystem::path& dir);
  ~DiskWatch();
  DiskWatch(const DiskWatch&) = delete;
  DiskWatch& operator=(const DiskWatch&) = delete;

  // Stops the probe (idempotent) and returns every sync it timed.
  LatencyHistogram stop();

 private:
  void run();

  std::filesystem::path file_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  LatencyHistogram syncs_;
  std::thread thread_;
};

}  // namespace bulwark::loadgen
