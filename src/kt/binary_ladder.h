// Binary ladders (draft-ietf-keytrans-protocol §5 and Appendix B): the versions of a label
// looked up in one prefix tree to establish its greatest version n. Versions 0, 1, 3, 7, ...
// until the first one above n, then a binary search between the last two; the ladder ends
// having shown n included and n + 1 absent, which no other greatest version could satisfy.
// Versions above 2^32 - 1 are skipped (treated as absent).
#pragma once

#include <cstdint>
#include <vector>

namespace bulwark::kt {

// The draft's base_binary_ladder(n), in lookup order.
[[nodiscard]] std::vector<std::uint32_t> greatest_version_ladder(std::uint32_t n);

}  // namespace bulwark::kt
