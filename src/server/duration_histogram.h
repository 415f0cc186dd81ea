// DurationHistogram: how long something took, counted in fixed buckets, for a Prometheus
// histogram. Its owner guards it; it holds no lock of its own.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::server {

class DurationHistogram {
 public:
  // Upper bounds in seconds. Commits take ~0.2 ms on a quiet disk; the upper buckets are where
  // a stalling disk sync shows.
  static constexpr std::array<double, 9> bounds{0.001, 0.002, 0.005, 0.01, 0.02,
                                                0.05,  0.1,   0.25,  1.0};

  void observe(double seconds);

  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] double sum_seconds() const { return sum_; }
  // How many took at most bounds[i] (Prometheus buckets are cumulative).
  [[nodiscard]] std::uint64_t at_most(std::size_t i) const;

  // `name`_bucket{le=...}, `name`_sum and `name`_count lines, with HELP and TYPE.
  void render(std::string& out, std::string_view name, std::string_view help) const;

 private:
  std::array<std::uint64_t, bounds.size()> in_bucket_{};  // not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace bulwark::server
