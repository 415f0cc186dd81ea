// The libsignal-client side of the session benchmark: runs tests/interop/bench.js on Node
// (paths compiled in by bench/CMakeLists.txt) and reads the one JSON line it prints.
#pragma once

#include <optional>
#include <string>

namespace bulwark::bench {

struct LibsignalFigures {
  std::string version;
  double session_setups_per_s = 0;
  double encrypt_decrypt_pairs_per_s = 0;
};

// Why the Node side cannot run here (no node, no installed node_modules), or nullopt.
[[nodiscard]] std::optional<std::string> libsignal_unavailable();

// One run of `node bench.js --seconds <seconds>`. The child inherits this process's CPU
// affinity, so a pinned benchmark pins Node to the same core. On failure, `error` says why.
[[nodiscard]] std::optional<LibsignalFigures> run_libsignal_bench(double seconds,
                                                                  std::string& error);

}  // namespace bulwark::bench
