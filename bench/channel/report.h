// What bulwark-bench-channel prints: each phase as `key=value` lines while it runs, then the
// goals of issue 6 over every round, each met or MISSED, with the spread of the rounds.
#pragma once

#include <optional>
#include <vector>

#include "catchup.h"
#include "fanout.h"
#include "options.h"
#include "server_metrics.h"

namespace bulwark::bench_channel {

// One round: a fan-out run, then (unless --catchup-posts 0) one catch-up per window.
struct Round {
  double reference_mb_per_s = 0;  // cpu_probe.h on the server's CPU, before the round
  FanOutResult fanout;
  loadgen::MetricValues metrics_before, metrics_after;  // around the fan-out
  std::vector<CatchupResult> catchups;
  std::optional<ResyncProbe> resync;
  std::optional<VerifyRate> verify;
};

void print_fanout(const Round& round);
void print_catchup(const CatchupResult& result);
void print_resync(const ResyncProbe& probe, std::uint64_t last_seq);
void print_verify(const VerifyRate& rate);

// The goal table; returns whether every goal was measured and met in every round.
bool print_goals(const std::vector<Round>& rounds, const Options& options, std::size_t subscribers);

}  // namespace bulwark::bench_channel
