// Clock: the only way library code learns the time. Injected by reference, so tests run on
// a fake clock (tests/support/fake_clock.h) and never sleep.
#pragma once

#include <chrono>

namespace bulwark {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
};

// Wall-clock time from the operating system.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace bulwark
