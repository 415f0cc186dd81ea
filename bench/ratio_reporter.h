// A console reporter that also remembers each benchmark's time per iteration, so a run can
// print ratios between benchmarks measured side by side (this machine is shared and noisy:
// ratios from one run are what we compare, never absolute figures across runs).
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <optional>
#include <string>

namespace bulwark::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  // Which of a run's times nanoseconds() returns. Wall time is for benchmarks compared with
  // another program's wall-clock figures (bench/session_bench.cpp against Node's hrtime).
  enum class Clock { cpu, real };
  explicit RatioReporter(Clock clock = Clock::cpu) : clock_(clock) {}

  void ReportRuns(const std::vector<Run>& runs) override;

  // Mean CPU (or real, see Clock) time per iteration in nanoseconds of the benchmark called
  // `name`, if it ran.
  [[nodiscard]] std::optional<double> nanoseconds(const std::string& name) const;
  // The same on the given clock.
  [[nodiscard]] std::optional<double> nanoseconds(const std::string& name, Clock clock) const;

  // Prints "numerator / denominator = ratio" (or why it cannot) to stdout.
  void print_ratio(const std::string& numerator, const std::string& denominator,
                   const std::string& goal) const;

 private:
  Clock clock_;
  std::map<std::string, double> cpu_nanoseconds_;
  std::map<std::string, double> real_nanoseconds_;
};

}  // namespace bulwark::bench
