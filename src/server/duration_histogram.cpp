#include "server/duration_histogram.h"

#include <cstdio>

namespace bulwark::server {

void DurationHistogram::observe(double seconds) {
  ++count_;
  sum_ += seconds;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      ++in_bucket_[i];
      return;
    }
  }
}

std::uint64_t DurationHistogram::at_most(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t k = 0; k <= i && k < bounds.size(); ++k) total += in_bucket_[k];
  return total;
}

void DurationHistogram::render(std::string& out, std::string_view name,
                               std::string_view help) const {
  const std::string metric = "bulwark_" + std::string(name);
  out.append("# HELP ").append(metric).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(metric).append(" histogram\n");
  char line[160];
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += in_bucket_[i];
    std::snprintf(line, sizeof line, "%s_bucket{le=\"%g\"} %llu\n", metric.c_str(), bounds[i],
                  static_cast<unsigned long long>(cumulative));
    out.append(line);
  }
  std::snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n",
                metric.c_str(), static_cast<unsigned long long>(count_), metric.c_str(), sum_,
                metric.c_str(), static_cast<unsigned long long>(count_));
  out.append(line);
}

}  // namespace bulwark::server
