// Binary ladders (kt/binary_ladder.h) against the draft's Appendix B code and its property:
// the ladder for n shows n included and n + 1 absent.
#include "kt/binary_ladder.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace bulwark::kt {
namespace {

using Ladder = std::vector<std::uint32_t>;

// Outputs of base_binary_ladder() in draft-ietf-keytrans-protocol Appendix B, run in Python.
TEST(BinaryLadderTest, MatchesTheDraftsReferenceCode) {
  EXPECT_EQ(greatest_version_ladder(0), (Ladder{0, 1}));
  EXPECT_EQ(greatest_version_ladder(1), (Ladder{0, 1, 3, 2}));
  EXPECT_EQ(greatest_version_ladder(2), (Ladder{0, 1, 3, 2}));
  EXPECT_EQ(greatest_version_ladder(6), (Ladder{0, 1, 3, 7, 5, 6}));
  EXPECT_EQ(greatest_version_ladder(7), (Ladder{0, 1, 3, 7, 15, 11, 9, 8}));
  EXPECT_EQ(greatest_version_ladder(100),
            (Ladder{0, 1, 3, 7, 15, 31, 63, 127, 95, 111, 103, 99, 101, 100}));
  const Ladder top = greatest_version_ladder(UINT32_MAX);
  EXPECT_EQ(top.size(), 33u);
  EXPECT_EQ(top.back(), UINT32_MAX);
  EXPECT_EQ(greatest_version_ladder(UINT32_MAX - 1).size(), 64u);
  EXPECT_EQ(greatest_version_ladder(2147483648u).size(), 64u);
}

TEST(BinaryLadderTest, ShowsTheVersionIncludedAndTheNextAbsent) {
  for (std::uint32_t n = 0; n < 2000; ++n) {
    const Ladder ladder = greatest_version_ladder(n);
    EXPECT_NE(std::find(ladder.begin(), ladder.end(), n), ladder.end()) << n;
    EXPECT_NE(std::find(ladder.begin(), ladder.end(), n + 1), ladder.end()) << n;
    EXPECT_LE(ladder.size(), 64u);
    // Every step is distinct: one VRF proof per version.
    Ladder sorted = ladder;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << n;
  }
}

}  // namespace
}  // namespace bulwark::kt
