// The table of issue 9's MLS benchmark: each operation's median time and spread for Bulwark
// and ts-mls, their ratio against the 10x goal, the throughput, the sizes, and the openmls
// anchor (734 ms to add a member to a 1,000-member group; the goal is within 2x of it).
#pragma once

#include <optional>
#include <string>

#include "mls_bench_bulwark.h"
#include "mls_bench_figures.h"

namespace bulwark::bench {

// Prints the report on stdout. `ts_mls` is empty when bench.js did not run; `why_not` then
// says why (and what to install).
void print_mls_report(const MlsBenchOptions& options, const MlsFigures& bulwark,
                      const std::optional<MlsFigures>& ts_mls, const std::string& why_not);

}  // namespace bulwark::bench
