#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace bulwark::loadgen {

std::size_t LatencyHistogram::index_of(std::uint64_t value) {
  constexpr std::uint64_t linear = std::uint64_t{1} << sub_bits;
  if (value < linear) return static_cast<std::size_t>(value);
  const int msb = 63 - std::countl_zero(value);
  if (msb >= max_bits) return buckets - 1;
  const int shift = msb - sub_bits + 1;           // >= 1
  const std::uint64_t mantissa = value >> shift;  // in [half, 2*half)
  return static_cast<std::size_t>(linear + (static_cast<std::uint64_t>(shift) - 1) * half +
                                  (mantissa - half));
}

std::uint64_t LatencyHistogram::upper_edge(std::size_t index) {
  constexpr std::uint64_t linear = std::uint64_t{1} << sub_bits;
  if (index < linear) return index;
  const std::uint64_t offset = index - linear;
  const std::uint64_t shift = offset / half + 1;
  const std::uint64_t mantissa = offset % half + half;
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds) {
  const std::uint64_t value = nanoseconds < 0 ? 0 : static_cast<std::uint64_t>(nanoseconds);
  ++counts_[index_of(value)];
  ++count_;
  max_ = std::max<std::int64_t>(max_, static_cast<std::int64_t>(value));
  sum_ += static_cast<long double>(value);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::int64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(
      std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets; ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      return std::min<std::int64_t>(static_cast<std::int64_t>(upper_edge(i)), max_);
    }
  }
  return max_;
}

}  // namespace bulwark::loadgen
