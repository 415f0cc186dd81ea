// RateLimiter: token buckets keyed by a string (a phone, an IP, an account), after
// Signal-Server's limiters: `burst` tokens, one more every `refill_every`. Bounded memory: at
// most `max_keys` buckets; when full, the buckets idle longest are dropped (a dropped bucket is
// full again, which errs toward letting a request through, never toward blocking forever).
// Time comes from the caller, so tests drive it with a fake clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/config.h"

namespace bulwark::server {

class RateLimiter {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  RateLimiter(RateLimit limit, std::size_t max_keys = 100'000);

  struct Decision {
    bool allowed = false;
    std::chrono::milliseconds retry_after{0};  // when refused: until one token is back
  };
  // Takes `cost` tokens for `key` if it has them.
  [[nodiscard]] Decision take(std::string_view key, time_point now, std::uint32_t cost = 1);
  [[nodiscard]] std::size_t size() const noexcept { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    time_point updated;
  };
  void evict_idle(time_point now);

  RateLimit limit_;
  std::size_t max_keys_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace bulwark::server
