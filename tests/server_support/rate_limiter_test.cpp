#include "server/rate_limiter.h"

#include <string>

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

using std::chrono::milliseconds;
using time_point = RateLimiter::time_point;

const time_point t0 = time_point{} + std::chrono::hours(1000);

TEST(RateLimiterTest, BurstIsAllowedThenRefusedUntilATokenIsBack) {
  RateLimiter limiter(RateLimit{3, milliseconds(1000)});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("+12015550123", t0).allowed) << i;
  const auto refused = limiter.take("+12015550123", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(1000));
}

TEST(RateLimiterTest, RetryAfterShrinksAsTimePasses) {
  RateLimiter limiter(RateLimit{1, milliseconds(1000)});
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_EQ(limiter.take("k", t0 + milliseconds(400)).retry_after, milliseconds(600));
  EXPECT_EQ(limiter.take("k", t0 + milliseconds(999)).retry_after, milliseconds(1));
  EXPECT_TRUE(limiter.take("k", t0 + milliseconds(1000)).allowed);
}

TEST(RateLimiterTest, RetryingAtRetryAfterSucceeds) {
  RateLimiter limiter(RateLimit{3, milliseconds(10) * 100 / 3});  // 333 ms, not a round number
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k", t0).allowed);
  time_point now = t0 + milliseconds(7);
  for (int i = 0; i < 20; ++i) {
    const auto refused = limiter.take("k", now);
    ASSERT_FALSE(refused.allowed) << i;
    now += refused.retry_after;
    ASSERT_TRUE(limiter.take("k", now).allowed) << i;
  }
}

TEST(RateLimiterTest, TokensRefillOverTimeUpToTheBurst) {
  RateLimiter limiter(RateLimit{3, milliseconds(1000)});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k", t0).allowed);
  const time_point later = t0 + milliseconds(1500);
  EXPECT_TRUE(limiter.take("k", later).allowed);
  const auto refused = limiter.take("k", later);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(500));
  // A long idle spell refills to the burst, never beyond.
  const time_point much_later = t0 + std::chrono::hours(24);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k", much_later).allowed) << i;
  EXPECT_FALSE(limiter.take("k", much_later).allowed);
}

TEST(RateLimiterTest, KeysHaveSeparateBuckets) {
  RateLimiter limiter(RateLimit{1, milliseconds(1000)});
  EXPECT_TRUE(limiter.take("a", t0).allowed);
  EXPECT_FALSE(limiter.take("a", t0).allowed);
  EXPECT_TRUE(limiter.take("b", t0).allowed);
  EXPECT_EQ(limiter.size(), 2U);
}

TEST(RateLimiterTest, CostTakesSeveralTokens) {
  RateLimiter limiter(RateLimit{10, milliseconds(100)});
  EXPECT_TRUE(limiter.take("k", t0, 4).allowed);
  EXPECT_TRUE(limiter.take("k", t0, 4).allowed);
  const auto refused = limiter.take("k", t0, 4);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(200));  // 2 tokens left, 2 more needed
  // The refused request took nothing: the 2 tokens are still there.
  EXPECT_TRUE(limiter.take("k", t0, 2).allowed);
  EXPECT_FALSE(limiter.take("k", t0, 1).allowed);
}

TEST(RateLimiterTest, CostAboveTheBurstIsAlwaysRefused) {
  RateLimiter limiter(RateLimit{5, milliseconds(100)});
  const auto refused = limiter.take("k", t0, 6);
  EXPECT_FALSE(refused.allowed);
  EXPECT_GT(refused.retry_after, milliseconds(0));
  EXPECT_FALSE(limiter.take("k", t0 + std::chrono::hours(1), 6).allowed);
  EXPECT_TRUE(limiter.take("k", t0, 5).allowed);
}

TEST(RateLimiterTest, EarlierTimePointRefillsNothing) {
  RateLimiter limiter(RateLimit{1, milliseconds(1000)});
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_FALSE(limiter.take("k", t0 - std::chrono::hours(1)).allowed);
  EXPECT_EQ(limiter.take("k", t0 + milliseconds(250)).retry_after, milliseconds(750));
}

TEST(RateLimiterTest, SizeNeverExceedsMaxKeys) {
  constexpr std::size_t max_keys = 40;
  RateLimiter limiter(RateLimit{5, std::chrono::minutes(1)}, max_keys);
  for (int i = 0; i < 1000; ++i) {
    // Every bucket stays partly spent, so eviction must drop live state, not only full buckets.
    ASSERT_TRUE(limiter.take("key" + std::to_string(i), t0 + milliseconds(i), 2).allowed) << i;
    ASSERT_LE(limiter.size(), max_keys) << i;
  }
  EXPECT_GE(limiter.size(), max_keys - max_keys / 16);
}

TEST(RateLimiterTest, EvictionDropsFullBucketsBeforeSpentOnes) {
  RateLimiter limiter(RateLimit{2, milliseconds(1000)}, 4);
  EXPECT_TRUE(limiter.take("spent", t0, 2).allowed);
  for (const char* key : {"a", "b", "c"}) EXPECT_TRUE(limiter.take(key, t0).allowed);
  // At 1.5 s a, b and c are full again, "spent" is not: a new key evicts the full ones.
  const time_point later = t0 + milliseconds(1500);
  EXPECT_TRUE(limiter.take("d", later).allowed);
  EXPECT_EQ(limiter.size(), 2U);
  const auto refused = limiter.take("spent", later, 2);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(500));
}

TEST(RateLimiterTest, EvictionDropsTheBucketIdleLongest) {
  RateLimiter limiter(RateLimit{10, std::chrono::hours(1)}, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(limiter.take("k" + std::to_string(i), t0 + milliseconds(i), 5).allowed);
  }
  EXPECT_TRUE(limiter.take("k4", t0 + milliseconds(4), 5).allowed);  // evicts k0 only
  EXPECT_EQ(limiter.size(), 4U);
  EXPECT_FALSE(limiter.take("k3", t0 + milliseconds(5), 10).allowed);  // kept: 5 left
  EXPECT_TRUE(limiter.take("k0", t0 + milliseconds(5), 10).allowed);   // dropped: full again
  EXPECT_EQ(limiter.size(), 4U);
}

}  // namespace
}  // namespace bulwark::server
