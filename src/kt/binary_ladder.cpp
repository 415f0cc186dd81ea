#include "kt/binary_ladder.h"

namespace bulwark::kt {

std::vector<std::uint32_t> greatest_version_ladder(std::uint32_t n) {
  constexpr std::uint64_t version_limit = std::uint64_t{1} << 32;
  std::vector<std::uint64_t> out;
  // Powers of two minus one until one exceeds n.
  for (;;) {
    const std::uint64_t value = (std::uint64_t{1} << out.size()) - 1;
    out.push_back(value);
    if (value > n) break;
  }
  // The loop ran at least twice (0 is never above n): binary search between the last two.
  std::uint64_t lower = out[out.size() - 2];
  std::uint64_t upper = out.back();
  while (lower + 1 < upper) {
    const std::uint64_t value = (lower + upper) / 2;
    out.push_back(value);
    if (value <= n && value < version_limit) {
      lower = value;
    } else {
      upper = value;
    }
  }
  std::vector<std::uint32_t> ladder;
  for (const std::uint64_t v : out) {
    if (v < version_limit) ladder.push_back(static_cast<std::uint32_t>(v));
  }
  return ladder;
}

}  // namespace bulwark::kt
