// FakeClock: time that moves only when a test moves it.
#pragma once

#include <chrono>

#include "common/clock.h"

namespace bulwark::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = time_point{std::chrono::seconds{1'700'000'000}})
      : now_(start) {}
  [[nodiscard]] time_point now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  void set(time_point to) { now_ = to; }

 private:
  time_point now_;
};

}  // namespace bulwark::testing
