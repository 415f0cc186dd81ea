// The ts-mls side of issue 9's MLS benchmark: runs tests/interop/mls/bench.js on Node (paths
// compiled in by bench/CMakeLists.txt) and reads the one JSON line it prints.
#pragma once

#include <optional>
#include <string>

#include "mls_bench_bulwark.h"
#include "mls_bench_figures.h"

namespace bulwark::bench {

// Why bench.js cannot run here (no node, ts-mls not installed), with what to do, or nullopt.
[[nodiscard]] std::optional<std::string> ts_mls_unavailable();

// One run of `node bench.js N --messages M --suite S --repeat R` with the options' values.
// The child inherits this process's CPU affinity. On failure, `error` says why.
[[nodiscard]] std::optional<MlsFigures> run_ts_mls_bench(const MlsBenchOptions& options,
                                                         std::string& error);

}  // namespace bulwark::bench
