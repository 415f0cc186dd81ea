#include "interleaved_ratio.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace bulwark::bench {
namespace {

double seconds_for(const std::function<void()>& op, int batch) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < batch; ++i) op();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

InterleavedRatio measure_interleaved_ratio(const std::function<void()>& numerator,
                                           const std::function<void()>& denominator, int rounds,
                                           int batch) {
  seconds_for(numerator, batch);  // warm caches and lazy initialisation
  seconds_for(denominator, batch);
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    // Alternate which side goes first so that neither always gets the warmer cache.
    const bool numerator_first = r % 2 == 0;
    const double a = numerator_first ? seconds_for(numerator, batch) : 0;
    const double b = seconds_for(denominator, batch);
    const double n = numerator_first ? a : seconds_for(numerator, batch);
    ratios.push_back(n / b);
  }
  std::sort(ratios.begin(), ratios.end());
  const auto at = [&](double fraction) {
    return ratios[static_cast<std::size_t>(fraction * static_cast<double>(ratios.size() - 1))];
  };
  return {at(0.5), at(0.1), at(0.9), rounds};
}

}  // namespace bulwark::bench
