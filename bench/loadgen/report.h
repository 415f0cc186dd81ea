// What bulwark-loadgen prints: each phase's figures as it ends, then the goal table of the
// server issue (each goal met or missed) and the command that reproduces the run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "histogram.h"
#include "idle.h"
#include "options.h"
#include "registration.h"
#include "server_metrics.h"
#include "traffic.h"

namespace bulwark::loadgen {

// The goals of the server issue.
inline constexpr double goal_messages_per_second = 20'000;
inline constexpr double goal_p99_ms_at_half_load = 10;
inline constexpr double goal_kib_per_idle_connection = 16;

// Delivered messages per second of the closed loop's measured window.
[[nodiscard]] double messages_per_second(const ClosedLoopResult& result);

struct ThroughputReport {
  ClosedLoopResult result;
  MetricValues before, after;
  std::size_t pairs = 0;
};

struct LatencyReport {
  double load = 0;  // fraction of the peak
  OpenLoopResult result;
  MetricValues before, after;
  LatencyHistogram disk_syncs;  // DiskWatch beside the run (warm-up included)
};

// One closed-loop measurement of the peak, then the open-loop runs at fractions of it.
struct Round {
  double reference_mb_per_s = 0;  // cpu_probe.h on the server's CPU, before the round
  ThroughputReport throughput;
  // The same closed loop with sends that carry no franking tag (--franking-compare), run next
  // to the franked one, first in odd rounds and second in even ones: what stamping costs.
  std::optional<ThroughputReport> unfranked;
  // --franking-slices: per group of windows ordered with, without, without, with tags, how
  // many fewer msgs/s (%) the franked windows relayed.
  std::vector<double> franking_slice_costs;
  std::vector<LatencyReport> latency;
};

void print_registration(const RegistrationOutcome& outcome, std::size_t pair_devices);
void print_idle(const IdleResult& idle);
void print_throughput(const ThroughputReport& report, std::size_t window,
                      std::size_t content_bytes);
void print_latency(const LatencyReport& report);

struct Summary {
  std::vector<Round> rounds;  // --repeat of them, on the same server and connections
  std::optional<IdleResult> idle;
};

// The goal table; returns whether every goal was measured and met (in every round).
bool print_goals(const Summary& summary, const Options& options);

}  // namespace bulwark::loadgen
