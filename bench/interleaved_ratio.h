// The cost ratio of two operations measured interleaved: each round times a batch of one and
// then a batch of the other, and the median of the per-round ratios is reported. Background
// load on a shared machine then slows both sides of a round alike and mostly cancels out,
// which separate benchmark runs seconds apart cannot promise.
#pragma once

#include <functional>
#include <string>

namespace bulwark::bench {

struct InterleavedRatio {
  double median = 0;
  double low = 0;   // the 10th percentile of the per-round ratios
  double high = 0;  // the 90th percentile
  int rounds = 0;
};

[[nodiscard]] InterleavedRatio measure_interleaved_ratio(const std::function<void()>& numerator,
                                                         const std::function<void()>& denominator,
                                                         int rounds, int batch);

}  // namespace bulwark::bench
