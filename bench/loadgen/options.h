// bulwark-loadgen's command line. The defaults are the standard configuration `make bench`
// runs; every run is bounded by --time-limit (the server is killed when it is reached).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::loadgen {

struct Options {
  std::string server_bin;   // default: next to this binary's build tree
  std::size_t pairs = 500;  // sender/recipient connection pairs
  std::size_t window = 2;   // closed loop: messages in flight per sender
  std::size_t content_bytes = 256;
  double warmup_seconds = 2;
  double seconds = 10;                          // closed-loop measured window
  double latency_seconds = 10;                  // each open-loop run's measured window
  std::vector<double> latency_loads{0.5, 0.8};  // fractions of the measured peak
  std::size_t repeat = 1;  // rounds of throughput + latency runs, to see the spread
  bool franking_compare = false;  // each round also measures throughput without franking tags
  bool unfranked = false;         // every send without a franking tag (to profile by difference)
  std::size_t franking_slices = 0;  // groups of four short windows, A B B A, per round
  std::size_t idle_connections = 18'000;
  std::size_t idle_steps = 4;
  unsigned server_threads = 1;
  int server_cpu = 0;
  int loadgen_cpu = 1;
  int nice = -20;              // both processes; the box may be shared
  bool generator_fifo = true;  // SCHED_FIFO for the generator during the traffic phases
  std::size_t registration_concurrency = 64;
  unsigned time_limit_seconds = 180;  // per round unless given
  std::string work_dir;  // default: a fresh /tmp/bulwark-loadgen-XXXXXX
  bool keep_work_dir = false;
};

// Exits the process for --help or bad usage (CLI11's exit codes).
[[nodiscard]] Options parse_options(int argc, char** argv);

}  // namespace bulwark::loadgen
