#include "ratio_reporter.h"

#include <cstdio>

namespace bulwark::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.error_occurred || run.iterations == 0) continue;
    // Aggregates (mean/median/stddev) carry their name in the aggregate field; keep the mean,
    // or the single run when there are no repetitions.
    if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "mean") continue;
    const double to_ns = run.time_unit == benchmark::kNanosecond    ? 1.0
                         : run.time_unit == benchmark::kMicrosecond ? 1e3
                         : run.time_unit == benchmark::kMillisecond ? 1e6
                                                                    : 1e9;
    cpu_nanoseconds_[run.run_name.function_name] = run.GetAdjustedCPUTime() * to_ns;
    real_nanoseconds_[run.run_name.function_name] = run.GetAdjustedRealTime() * to_ns;
  }
  ConsoleReporter::ReportRuns(runs);
}

std::optional<double> RatioReporter::nanoseconds(const std::string& name) const {
  return nanoseconds(name, clock_);
}

std::optional<double> RatioReporter::nanoseconds(const std::string& name, Clock clock) const {
  const auto& times = clock == Clock::real ? real_nanoseconds_ : cpu_nanoseconds_;
  auto it = times.find(name);
  if (it == times.end()) return std::nullopt;
  return it->second;
}

void RatioReporter::print_ratio(const std::string& numerator, const std::string& denominator,
                                const std::string& goal) const {
  const auto top = nanoseconds(numerator);
  const auto bottom = nanoseconds(denominator);
  if (!top || !bottom || *bottom <= 0) {
    std::printf("ratio %s / %s: not measured in this run\n", numerator.c_str(),
                denominator.c_str());
    return;
  }
  std::printf("ratio %s / %s = %.2f  (%s)\n", numerator.c_str(), denominator.c_str(),
              *top / *bottom, goal.c_str());
}

}  // namespace bulwark::bench
