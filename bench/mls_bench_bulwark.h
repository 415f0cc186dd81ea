// Bulwark's side of issue 9's MLS benchmark: the same operations as tests/interop/mls/bench.js
// runs on ts-mls, on src/protocol/mls's Group, each repeated from the same starting state,
// with every result checked (sizes above zero, the epoch authenticators of every member in
// agreement, each message decrypted to its plaintext).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mls_bench_figures.h"

namespace bulwark::bench {

struct MlsBenchOptions {
  std::size_t members = 1000;   // N: the group after the first commit
  std::size_t repeat = 3;       // repetitions of each timed operation
  std::size_t messages = 2000;  // application messages per batch (one batch per repetition)
  std::uint16_t suite = 1;
  bool node = true;  // also run bench.js (ts-mls)
  bool pin = true;   // pin this process (and Node) to one CPU
};

// Prints "mls bench: <what>" on stderr and exits with status 1: an operation or a check of
// its output failed, so no figure of this run means anything.
[[noreturn]] void mls_bench_fail(const std::string& what);

// Runs every operation and checks its output (mls_bench_fail on a failure). Key generation is
// not timed. A progress line per phase goes to stderr.
[[nodiscard]] MlsFigures run_bulwark_mls(const MlsBenchOptions& options);

}  // namespace bulwark::bench
