#include "options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "run_files.h"
#include "run_options.h"

namespace bulwark::loadgen {

Options parse_options(int argc, char** argv) {
  Options options;
  options.server_bin = default_server_bin();
  CLI::App app{
      "bulwark-loadgen: starts a fresh bulwark-server pinned to one CPU, registers accounts "
      "through the API, then measures relay throughput, open-loop latency and memory per idle "
      "connection against the server goals"};
  app.add_option("--server-bin", options.server_bin, "bulwark-server binary")
      ->capture_default_str();
  app.add_option("--pairs", options.pairs, "sender/recipient connection pairs")
      ->capture_default_str()
      ->check(CLI::Range(1, 5000));
  app.add_option("--window", options.window, "closed loop: messages in flight per sender")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--content-bytes", options.content_bytes, "envelope content size")
      ->capture_default_str()
      ->check(CLI::Range(24, 65536));
  app.add_option("--warmup-seconds", options.warmup_seconds, "before each measured window")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--seconds", options.seconds, "closed-loop (throughput) measured window")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 600.0));
  app.add_option("--latency-seconds", options.latency_seconds, "each open-loop measured window")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 600.0));
  app.add_option("--latency-loads", options.latency_loads,
                 "open-loop rates as fractions of the measured peak (0: none)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(0.0, 2.0));
  app.add_option("--repeat", options.repeat,
                 "rounds of the throughput and latency runs on the same server and "
                 "connections; the goal table gives the spread and counts rounds met")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
  app.add_flag("--franking-compare", options.franking_compare,
               "each round also measures relay throughput with sends that carry no franking tag "
               "(next to the franked run, alternating order), and reports what stamping costs");
  app.add_option("--franking-slices", options.franking_slices,
                 "each round also measures stamping's cost in this many groups of four 2-second "
                 "windows ordered with, without, without, with franking tags, so that a drift of "
                 "the machine cancels out (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 50));
  app.add_flag("--unfranked", options.unfranked,
               "every send carries no franking tag, so the server stamps nothing: a run to "
               "profile against the default one")
      ->excludes("--franking-compare");
  app.add_option("--idle-connections", options.idle_connections,
                 "idle authenticated connections (0: skip the phase)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  app.add_option("--idle-steps", options.idle_steps, "memory samples while opening them")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  add_placement_options(app,
                        {options.server_threads, options.server_cpu, options.loadgen_cpu,
                         options.nice, options.generator_fifo, options.registration_concurrency},
                        "--loadgen-cpu", "the traffic phases");
  auto* time_limit =
      app.add_option("--time-limit", options.time_limit_seconds,
                     "hard limit for the whole run, seconds; the server is killed when reached "
                     "(default: 180 per round)")
          ->check(CLI::Range(10, 36000));
  add_work_dir_options(app, options.work_dir, options.keep_work_dir, "bulwark-loadgen");
  try {
    app.parse(argc, argv);
    if (time_limit->count() == 0)
      options.time_limit_seconds = 180 * static_cast<unsigned>(options.repeat);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));
  }
  return options;
}

}  // namespace bulwark::loadgen
