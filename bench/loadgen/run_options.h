// The command-line options every server benchmark shares (bulwark-loadgen,
// bulwark-bench-channel): how the server and the generator are placed and scheduled, and where
// the run keeps its files. Each benchmark keeps the values in its own Options; these bind
// them, with one wording of the help for all.
#pragma once

#include <cstddef>
#include <string>

namespace CLI {
class App;
}

namespace bulwark::loadgen {

struct PlacementFields {
  unsigned& server_threads;
  int& server_cpu;
  int& generator_cpu;
  int& nice;
  bool& generator_fifo;
  std::size_t& registration_concurrency;
};

// --server-threads, --server-cpu, `generator_cpu_flag` (the generator's CPU), --nice,
// --generator-fifo (SCHED_FIFO during `fifo_phases`), --registration-concurrency.
void add_placement_options(CLI::App& app, const PlacementFields& fields,
                           const std::string& generator_cpu_flag, const std::string& fifo_phases);

// --work-dir (default: a new /tmp/`prefix`-*) and --keep-work-dir.
void add_work_dir_options(CLI::App& app, std::string& work_dir, bool& keep_work_dir,
                          const std::string& prefix);

}  // namespace bulwark::loadgen
