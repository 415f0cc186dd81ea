// ReconnectBackoff: when a PostgreSQL session may try to reconnect. Without it, while the server
// is unreachable every batch of the store thread made its own attempt, and an attempt can last
// the whole connect timeout (10 s by default) when packets are dropped rather than refused:
// every send queued behind it waited that long for its "unavailable". With it, the first
// attempt after a connection is lost is immediate (a restarted server is found at once); after
// each failed one the next waits 100 ms, then 200 ms, and so on up to 2 s, and until then the
// store answers "unavailable" at once. A successful attempt starts the schedule again.
#pragma once

#include <algorithm>
#include <chrono>

namespace bulwark::store::pg {

class ReconnectBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds first_delay{100};
  static constexpr std::chrono::milliseconds longest_delay{2'000};

  // Whether an attempt may be made at `now`.
  [[nodiscard]] bool may_attempt(Clock::time_point now) const noexcept { return now >= next_; }
  // How long until the next attempt may be made (zero when one may be made now).
  [[nodiscard]] std::chrono::milliseconds wait_at(Clock::time_point now) const noexcept {
    if (now >= next_) return std::chrono::milliseconds{0};
    return std::chrono::ceil<std::chrono::milliseconds>(next_ - now);
  }
  // An attempt that ended at `now` failed.
  void failed(Clock::time_point now) noexcept {
    delay_ =
        delay_ == std::chrono::milliseconds{0} ? first_delay : std::min(delay_ * 2, longest_delay);
    next_ = now + delay_;
  }
  void succeeded() noexcept {
    delay_ = std::chrono::milliseconds{0};
    next_ = Clock::time_point{};
  }

 private:
  std::chrono::milliseconds delay_{0};
  Clock::time_point next_{};
};

}  // namespace bulwark::store::pg
