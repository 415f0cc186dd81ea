// libbulwark-sync-stall.so: an LD_PRELOAD shim for benchmarks that makes the disk's sync
// latency spike on a schedule, so that how the server rides out a slow fdatasync can be
// measured side by side instead of waited for (this machine's disk stalls when it likes).
//
// Every BULWARK_STALL_PERIOD_MS (default 2000), the first fdatasync or fsync of the process
// sleeps BULWARK_STALL_MS (default 30) before syncing. Only for bench runs: see
// bench/loadgen/README.md, "Disk stalls".
#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

namespace {

std::int64_t env_ms(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  const long long value = std::atoll(text);
  return value > 0 ? value : fallback;
}

std::int64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void maybe_stall() {
  static const std::int64_t period_ns = env_ms("BULWARK_STALL_PERIOD_MS", 2000) * 1'000'000;
  static const std::int64_t stall_ns = env_ms("BULWARK_STALL_MS", 30) * 1'000'000;
  static std::atomic<std::int64_t> next_ns{0};
  const std::int64_t now = now_ns();
  std::int64_t due = next_ns.load();
  if (due == 0) {
    next_ns.compare_exchange_strong(due, now + period_ns);
    return;
  }
  // One caller per period wins the stall.
  if (now < due || !next_ns.compare_exchange_strong(due, now + period_ns)) return;
  const timespec pause{static_cast<time_t>(stall_ns / 1'000'000'000),
                       static_cast<long>(stall_ns % 1'000'000'000)};
  nanosleep(&pause, nullptr);
}

template <class Fn>
Fn real(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fdatasync(int fd) {
  static const auto next = real<int (*)(int)>("fdatasync");
  maybe_stall();
  return next(fd);
}

extern "C" int fsync(int fd) {
  static const auto next = real<int (*)(int)>("fsync");
  maybe_stall();
  return next(fd);
}
