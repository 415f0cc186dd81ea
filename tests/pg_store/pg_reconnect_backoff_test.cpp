// When a lost PostgreSQL session may try to reconnect (store/pg/reconnect_backoff.h).
#include <gtest/gtest.h>

#include "store/pg/reconnect_backoff.h"

namespace bulwark::store::pg {
namespace {

using std::chrono::milliseconds;
using Clock = ReconnectBackoff::Clock;

const Clock::time_point start = Clock::time_point{} + std::chrono::hours{1};

TEST(ReconnectBackoffTest, TheFirstAttemptIsImmediate) {
  const ReconnectBackoff backoff;
  EXPECT_TRUE(backoff.may_attempt(start));
  EXPECT_EQ(backoff.wait_at(start), milliseconds{0});
}

TEST(ReconnectBackoffTest, EachFailureDoublesTheWaitUpToTwoSeconds) {
  ReconnectBackoff backoff;
  Clock::time_point now = start;
  for (const int expected : {100, 200, 400, 800, 1600, 2000, 2000}) {
    backoff.failed(now);
    EXPECT_FALSE(backoff.may_attempt(now));
    EXPECT_EQ(backoff.wait_at(now), milliseconds{expected});
    EXPECT_FALSE(backoff.may_attempt(now + milliseconds{expected - 1}));
    now += milliseconds{expected};
    EXPECT_TRUE(backoff.may_attempt(now));
  }
}

TEST(ReconnectBackoffTest, TheWaitCountsFromTheEndOfTheFailedAttempt) {
  ReconnectBackoff backoff;
  backoff.failed(start + milliseconds{10'000});  // an attempt that took the whole timeout
  EXPECT_EQ(backoff.wait_at(start + milliseconds{10'000}), milliseconds{100});
  EXPECT_EQ(backoff.wait_at(start + milliseconds{10'050}), milliseconds{50});
}

TEST(ReconnectBackoffTest, ASuccessStartsTheScheduleAgain) {
  ReconnectBackoff backoff;
  backoff.failed(start);
  backoff.failed(start + milliseconds{100});
  backoff.succeeded();
  EXPECT_TRUE(backoff.may_attempt(start + milliseconds{100}));
  backoff.failed(start + milliseconds{200});
  EXPECT_EQ(backoff.wait_at(start + milliseconds{200}), milliseconds{100});
}

}  // namespace
}  // namespace bulwark::store::pg
