// LatencyHistogram: log-linear buckets over nanoseconds, after HdrHistogram's layout (which
// has no Debian package): values below 2^8 ns exactly, above that 128 buckets per power of
// two, so any reported percentile is within 0.8% of the true value (it reports the bucket's
// upper edge, never less than the truth). Covers 0 .. 2^48 ns (78 hours) in ~5,400 counters.
#pragma once

#include <array>
#include <cstdint>

namespace bulwark::loadgen {

class LatencyHistogram {
 public:
  void record(std::int64_t nanoseconds);
  void merge(const LatencyHistogram& other);

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept;
  // The smallest bucket edge at or above `fraction` (0..1) of the recorded values; 0 if none.
  [[nodiscard]] std::int64_t percentile(double fraction) const;

 private:
  static constexpr int sub_bits = 8;  // 2^8 linear values at the bottom
  static constexpr int max_bits = 48;
  static constexpr std::size_t half = std::size_t{1} << (sub_bits - 1);
  static constexpr std::size_t buckets =
      (std::size_t{1} << sub_bits) + (max_bits - sub_bits) * half;

  static std::size_t index_of(std::uint64_t value);
  static std::uint64_t upper_edge(std::size_t index);

  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace bulwark::loadgen
