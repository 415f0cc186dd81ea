// How the rounds of a benchmark spread: on a shared machine one round proves little either
// way, so goal tables print every figure over the rounds this way.
#pragma once

#include <string>
#include <vector>

namespace bulwark::loadgen {

// "lowest-highest (median M)" of a few figures, with `decimals` decimals. Requires a
// non-empty `values`.
[[nodiscard]] std::string spread(std::vector<double> values, int decimals);

}  // namespace bulwark::loadgen
