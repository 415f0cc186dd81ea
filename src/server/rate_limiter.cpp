#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace bulwark::server {
namespace {

using Millis = std::chrono::duration<double, std::milli>;

// Tokens are fractional; a client that retries exactly after retry_after must find its token
// even when the division above left 0.999999999 of it.
constexpr double token_epsilon = 1e-9;

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit), max_keys_(max_keys) {
  if (limit_.burst == 0 || limit_.refill_every.count() <= 0 || max_keys_ == 0) {
    contract_violation("RateLimiter needs burst >= 1, refill_every > 0 and max_keys >= 1");
  }
}

RateLimiter::Decision RateLimiter::take(std::string_view key, time_point now, std::uint32_t cost) {
  const double burst = limit_.burst;
  const double refill_ms = std::chrono::duration_cast<Millis>(limit_.refill_every).count();
  auto found = buckets_.find(std::string(key));
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_keys_) evict_idle(now);
    found = buckets_.emplace(std::string(key), Bucket{burst, now}).first;
  }
  Bucket& bucket = found->second;
  // Time never runs backwards for a bucket: a caller's stale time point refills nothing.
  if (now > bucket.updated) {
    const double refilled = Millis(now - bucket.updated).count() / refill_ms;
    bucket.tokens = std::min(burst, bucket.tokens + refilled);
    bucket.updated = now;
  }
  if (bucket.tokens + token_epsilon >= cost) {
    bucket.tokens = std::max(0.0, bucket.tokens - cost);
    return Decision{true, std::chrono::milliseconds(0)};
  }
  // A cost above the burst is never affordable; the wait for a full bucket is the honest
  // lower bound to report.
  const double missing = std::min<double>(cost, burst) - bucket.tokens;
  const auto wait = static_cast<std::int64_t>(std::ceil(missing * refill_ms - token_epsilon));
  return Decision{false, std::chrono::milliseconds(std::max<std::int64_t>(wait, 1))};
}

// Makes room for a batch of new keys at once, so a stream of new keys costs one scan per
// batch, not one per key. Full buckets go first: dropping them loses nothing, since a missing
// bucket starts full. Then the buckets idle longest.
void RateLimiter::evict_idle(time_point now) {
  const std::size_t batch = std::max<std::size_t>(1, max_keys_ / 16);
  const std::size_t target = max_keys_ - batch;
  const double burst = limit_.burst;
  const double refill_ms = std::chrono::duration_cast<Millis>(limit_.refill_every).count();
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& bucket = entry.second;
    const double idle_ms = now > bucket.updated ? Millis(now - bucket.updated).count() : 0.0;
    return bucket.tokens + idle_ms / refill_ms + token_epsilon >= burst;
  });
  if (buckets_.size() <= target) return;
  std::vector<time_point> updated;
  updated.reserve(buckets_.size());
  for (const auto& entry : buckets_) updated.push_back(entry.second.updated);
  const std::size_t excess = buckets_.size() - target;
  std::nth_element(updated.begin(), updated.begin() + static_cast<std::ptrdiff_t>(excess - 1),
                   updated.end());
  const time_point cutoff = updated[excess - 1];
  // Ties at the cutoff may drop a few more than `excess`; never fewer.
  std::erase_if(buckets_, [cutoff](const auto& entry) { return entry.second.updated <= cutoff; });
}

}  // namespace bulwark::server
