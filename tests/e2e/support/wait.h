// Bounded polling: the e2e tests never sleep to synchronise; they wait for an observable
// condition (a log line, a file, a metric, a process exit) and give up at a deadline.
#pragma once

#include <chrono>
#include <thread>

namespace bulwark::e2e {

using SteadyClock = std::chrono::steady_clock;
inline constexpr std::chrono::milliseconds poll_interval{10};

// Calls `condition` until it returns true (-> true) or `timeout` passes (-> false). The
// condition is always evaluated at least once, and once more after the deadline.
template <class Condition>
[[nodiscard]] bool poll_until(std::chrono::milliseconds timeout, Condition&& condition) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (SteadyClock::now() >= deadline) return condition();
    std::this_thread::sleep_for(poll_interval);
  }
}

}  // namespace bulwark::e2e
