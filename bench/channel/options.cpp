#include "options.h"

#include <CLI/CLI.hpp>

#include "run_files.h"
#include "run_options.h"

namespace bulwark::bench_channel {
namespace {

// What the benchmark does: subscribers, posts, the catch-up log and how it is read, rounds.
void add_workload_options(CLI::App& app, Options& options) {
  app.add_option("--subscribers", options.subscribers,
                 "online subscribers, one account and device each (0: as many as the open-file "
                 "limits allow, about 19,000)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  app.add_option("--posts", options.posts, "fan-out: posts per round")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app.add_option("--post-bytes", options.post_bytes, "text bytes per post")
      ->capture_default_str()
      ->check(CLI::Range(16, 4096));
  app.add_option("--post-gap-ms", options.post_gap_ms,
                 "pause after a post reached every subscriber, before the next")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10'000.0));
  app.add_option("--post-timeout", options.post_timeout_seconds,
                 "seconds after which a subscriber without a post's push has missed it")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 120.0));
  app.add_option("--catchup-posts", options.catchup_posts,
                 "posts in the log an offline subscriber catches up on (0: skip the phase)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000'000));
  app.add_option("--catchup-page", options.catchup_page, "entries per ChannelRead (its limit)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--catchup-windows", options.catchup_windows,
                 "pages in flight, one catch-up per value (1: each read waits for the last)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--fill-window", options.fill_window, "appends in flight while filling the log")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--fill-seconds", options.fill_seconds,
                 "longest the log's fill may take; the catch-up reads what was stored by then")
      ->capture_default_str()
      ->check(CLI::Range(1, 36000));
  app.add_option("--verify-entries", options.verify_entries,
                 "entries whose signatures the client-side verification rate checks")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000'000));
  app.add_option("--repeat", options.repeat,
                 "rounds of fan-out and catch-up on the same server and connections; the goal "
                 "table gives the spread and counts rounds met")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options options;
  options.server_bin = loadgen::default_server_bin();
  CLI::App app{
      "bulwark-bench-channel: starts a fresh bulwark-server pinned to one CPU, registers one "
      "account per subscriber through the API, then measures a public channel's fan-out to "
      "every online subscriber and an offline subscriber's catch-up, against issue 6's goals"};
  app.add_option("--server-bin", options.server_bin, "bulwark-server binary")
      ->capture_default_str();
  add_workload_options(app, options);
  loadgen::add_placement_options(
      app,
      {options.server_threads, options.server_cpu, options.generator_cpu, options.nice,
       options.generator_fifo, options.registration_concurrency},
      "--generator-cpu", "the measured phases");
  app.add_option("--time-limit", options.time_limit_seconds,
                 "hard limit for the whole run, seconds; the server is killed when reached "
                 "(default: 900 for the setup + 120 per round)")
      ->check(CLI::Range(10, 36000));
  loadgen::add_work_dir_options(app, options.work_dir, options.keep_work_dir,
                                "bulwark-bench-channel");
  try {
    app.parse(argc, argv);
    if (options.time_limit_seconds == 0)
      options.time_limit_seconds = 900 + 120 * static_cast<unsigned>(options.repeat);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));
  }
  return options;
}

}  // namespace bulwark::bench_channel
