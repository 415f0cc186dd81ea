#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/seeded_rng.h"

namespace bulwark::testing {
namespace {

TEST(SeededRngTest, SameSeedSameBytes) {
  SeededRng a(42), b(42), c(43);
  std::array<std::byte, 64> x{}, y{}, z{};
  a.fill(x);
  b.fill(y);
  c.fill(z);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST(FakeClockTest, MovesOnlyWhenAdvanced) {
  FakeClock clock;
  const auto start = clock.now();
  EXPECT_EQ(clock.now(), start);
  clock.advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.now() - start, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace bulwark::testing
