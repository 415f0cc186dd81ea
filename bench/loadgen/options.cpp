#include "options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>

namespace bulwark::loadgen {
namespace {

// <build>/bench/loadgen/bulwark-loadgen -> <build>/src/server/bulwark-server.
std::string default_server_bin() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "bulwark-server";
  return (self.parent_path() / "../../src/server/bulwark-server").lexically_normal().string();
}

}  // namespace

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
  app.add_option("--idle-connections", options.idle_connections,
                 "idle authenticated connections (0: skip the phase)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  app.add_option("--idle-steps", options.idle_steps, "memory samples while opening them")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  app.add_option("--server-threads", options.server_threads, "the server's --threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--server-cpu", options.server_cpu, "CPU the server is pinned to")
      ->capture_default_str();
  app.add_option("--loadgen-cpu", options.loadgen_cpu, "CPU the generator is pinned to")
      ->capture_default_str();
  app.add_option("--nice", options.nice,
                 "nice value of generator and server (needs privilege below 0; 0 to leave as is)")
      ->capture_default_str()
      ->check(CLI::Range(-20, 19));
  app.add_option("--generator-fifo", options.generator_fifo,
                 "run the generator SCHED_FIFO during the traffic phases (true/false)")
      ->capture_default_str();
  app.add_option("--registration-concurrency", options.registration_concurrency,
                 "registrations in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  auto* time_limit =
      app.add_option("--time-limit", options.time_limit_seconds,
                     "hard limit for the whole run, seconds; the server is killed when reached "
                     "(default: 180 per round)")
          ->check(CLI::Range(10, 36000));
  app.add_option("--work-dir", options.work_dir,
                 "server data, config, codes and log (default: a new /tmp/bulwark-loadgen-*)");
  app.add_flag("--keep-work-dir", options.keep_work_dir, "do not delete the work directory");
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
