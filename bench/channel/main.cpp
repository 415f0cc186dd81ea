// bulwark-bench-channel: issue 6's channel benchmark (bench/channel/README.md). Starts a fresh
// bulwark-server pinned to one CPU, pins itself to another, registers one account per
// subscriber through the real API and keeps every subscriber online over TLS; then, each
// round, times a public channel's fan-out to all of them post by post and an offline
// subscriber's catch-up on a long log. Prints the goals, met or missed. Exit code 0 when the
// benchmark ran (whatever the goals say), 2 when it could not run.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "child_guard.h"
#include "cpu_probe.h"
#include "crypto/random.h"
#include "isolation.h"
#include "options.h"
#include "proc_stats.h"
#include "report.h"
#include "run_files.h"
#include "server_process.h"

namespace bulwark::bench_channel {
namespace {

constexpr const char* program = "bulwark-bench-channel";
constexpr std::size_t default_subscribers = 19'000;
// Descriptors the server keeps besides its connections (listener, database, WAL, log, KT).
constexpr std::size_t server_reserved_files = 256;
// Connections besides the subscribers': owner, reader, /metrics, and room to spare.
constexpr std::uint32_t extra_connections = 64;

// As many subscribers as both processes can hold: the server inherits this process's raised
// RLIMIT_NOFILE.
std::size_t subscriber_count(const Options& options) {
  const std::size_t files = loadgen::raise_open_files_limit();
  const std::size_t fit = files > server_reserved_files + first_subscriber
                              ? files - server_reserved_files - first_subscriber
                              : 0;
  const std::size_t wanted = options.subscribers == 0 ? default_subscribers : options.subscribers;
  if (wanted > fit)
    std::printf("note: %zu subscribers lowered to %zu (RLIMIT_NOFILE is %zu)\n", wanted, fit,
                files);
  return std::min(wanted, fit);
}

struct Run {
  const Options& options;
  loadgen::ServerProcess& server;
  Setup& setup;
  OwnedChannel fanout_channel;
  OwnedChannel catchup_channel;
  std::uint64_t catchup_last_seq = 1;
  std::vector<Round> rounds;
};

Clock::time_point deadline_in(std::chrono::seconds seconds) { return Clock::now() + seconds; }

// The catch-up channel's posts 2 .. catchup_posts + 1, `--fill-window` appends in flight, for at
// most `--fill-seconds`; if the server refuses any (it may not take appends pipelined), the
// rest go one at a time. The catch-up reads whatever the log then holds.
bool fill_catchup_log(Run& run) {
  Setup& setup = run.setup;
  const Options& options = run.options;
  const Clock::time_point stop = deadline_in(std::chrono::seconds(options.fill_seconds));
  FillResult fill = fill_log(setup, run.catchup_channel, 2, options.catchup_posts,
                             options.post_bytes, options.fill_window, stop);
  std::printf(
      "  fill_appended=%zu fill_seconds=%.1f fill_posts_per_second=%.0f "
      "(%zu appends in flight)\n",
      fill.appended, fill.seconds, static_cast<double>(fill.appended) / fill.seconds,
      options.fill_window);
  auto info = channel_info(setup, setup.owner(), run.catchup_channel);
  if (!info) return false;
  if (fill.failed > 0 && Clock::now() < stop) {
    std::printf("  fill: %zu appends FAILED: %s; the rest one at a time\n", fill.failed,
                fill.first_failure.c_str());
    const std::uint64_t next = info->last_seq() + 1;
    fill = fill_log(setup, run.catchup_channel, next, options.catchup_posts + 2 - next,
                    options.post_bytes, 1, stop);
    std::printf("  fill_appended=%zu more in %.1f s, %zu FAILED %s\n", fill.appended, fill.seconds,
                fill.failed, fill.first_failure.c_str());
    info = channel_info(setup, setup.owner(), run.catchup_channel);
    if (!info) return false;
  }
  run.catchup_last_seq = info->last_seq();
  if (run.catchup_last_seq < 1 + options.catchup_posts)
    std::printf(
        "  NOTE: the catch-up log holds %llu posts, not %zu: the fill stopped at "
        "--fill-seconds %u (or on refusals); the catch-up reads what there is\n",
        static_cast<unsigned long long>(run.catchup_last_seq - 1), options.catchup_posts,
        options.fill_seconds);
  return run.catchup_last_seq > 1;
}

// Every account, the subscribers online, the owner's two channels, the offline reader's
// subscription and its log, then the subscriptions to the fan-out channel.
bool set_up(Run& run, std::size_t subscribers) {
  Setup& setup = run.setup;
  const Options& options = run.options;
  std::printf("\n== Setup (not measured) ==\n");
  const auto long_step = std::chrono::seconds(options.time_limit_seconds);
  const std::size_t end = first_subscriber + subscribers;
  if (!register_fleet(setup, subscribers, run.server.codes_file(), options.registration_concurrency,
                      deadline_in(long_step)) ||
      !connect_range(setup, first_subscriber, end, "subscriber", deadline_in(long_step)))
    return false;
  if (!connect_range(setup, owner_index, owner_index + 1, "owner", deadline_in(long_step)) ||
      !create_channel(setup, run.fanout_channel) || !create_channel(setup, run.catchup_channel))
    return false;
  if (options.catchup_posts > 0) {
    if (!connect_range(setup, reader_index, reader_index + 1, "reader", deadline_in(long_step)) ||
        !subscribe_range(setup, run.catchup_channel, reader_index, reader_index + 1, "reader",
                         deadline_in(long_step)))
      return false;
    setup.links[reader_index].reset();  // offline from here until its catch-up
    if (!fill_catchup_log(run)) return false;
  }
  return subscribe_range(setup, run.fanout_channel, first_subscriber, end, "subscriber",
                         deadline_in(long_step));
}

// The reader online (again, if the server closed it), or nullptr.
loadgen::DeviceLink* reader_online(Setup& setup) {
  loadgen::DeviceLink* reader = setup.links[reader_index].get();
  if (reader != nullptr && reader->state() == loadgen::DeviceLink::State::ready) return reader;
  if (!connect_range(setup, reader_index, reader_index + 1, "reader",
                     deadline_in(std::chrono::seconds(30))))
    return nullptr;
  return setup.links[reader_index].get();
}

// The reader comes back online, catches up once per window, probes the resync window and
// measures what verifying the entries would cost it.
void run_catchup(Run& run, Round& round) {
  Setup& setup = run.setup;
  const Options& options = run.options;
  std::vector<std::string> kept;
  for (std::size_t window : options.catchup_windows) {
    loadgen::DeviceLink* reader = reader_online(setup);
    if (reader == nullptr) return;
    const loadgen::MetricValues before = loadgen::fetch_metrics(setup.tls, setup.server);
    // The subscriber's cursor: the CREATE entry it saw when it subscribed.
    round.catchups.push_back(catch_up(setup, *reader, run.catchup_channel, 1, run.catchup_last_seq,
                                      options.catchup_page, window, run.server.pid(), kept,
                                      options.verify_entries));
    print_catchup(round.catchups.back());
    // Why a connection closed, when the server closed one: its write bound, most likely.
    const double slow = loadgen::metric_delta(
        before, loadgen::fetch_metrics(setup.tls, setup.server), "slow_consumers_closed_total");
    if (slow > 0) std::printf("    server_metric slow_consumers_closed_total +%.0f\n", slow);
  }
  if (loadgen::DeviceLink* reader = reader_online(setup)) {
    round.resync = probe_resync(setup, *reader, run.catchup_channel, options.catchup_page);
    print_resync(*round.resync, run.catchup_last_seq);
    setup.links[reader_index].reset();  // offline again until the next round
  }
  if (!kept.empty()) {
    round.verify = verify_rate(run.catchup_channel.create_entry(), kept);
    print_verify(*round.verify);
  }
}

void run_rounds(Run& run) {
  const Options& options = run.options;
  if (options.generator_fifo)
    std::printf("\n  scheduling for the measured phases: %s\n",
                loadgen::make_generator_realtime().c_str());
  FanOut fanout(run.setup, run.fanout_channel, run.server.pid(), options.server_cpu);
  std::uint64_t next_seq = 2;
  const auto gap = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(options.post_gap_ms));
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.post_timeout_seconds));
  for (std::size_t i = 0; i < options.repeat; ++i) {
    Round round;
    round.reference_mb_per_s = loadgen::reference_speed_mb_per_s(options.server_cpu);
    std::printf(
        "\n== Round %zu of %zu: fan-out (reference speed of the server's CPU %d: %.0f "
        "MB/s SHA-256) ==\n",
        i + 1, options.repeat, options.server_cpu, round.reference_mb_per_s);
    round.metrics_before = loadgen::fetch_metrics(run.setup.tls, run.setup.server);
    round.fanout = fanout.run(next_seq, options.posts, options.post_bytes, gap, timeout);
    round.metrics_after = loadgen::fetch_metrics(run.setup.tls, run.setup.server);
    next_seq += round.fanout.posts;
    print_fanout(round);
    const bool refused = round.fanout.refused > 0;
    if (options.catchup_posts > 0) {
      std::printf("\n== Round %zu of %zu: catch-up of %zu posts by an offline subscriber ==\n",
                  i + 1, options.repeat, options.catchup_posts);
      run_catchup(run, round);
    }
    run.rounds.push_back(std::move(round));
    if (refused) break;  // the channel's next seq is unknown
  }
}

int run_with_server(const Options& options, loadgen::ServerProcess& server,
                    std::size_t subscribers) {
  auto tls = loadgen::TlsClientContext::create(server.cert_file().string());
  if (!tls) return 2;
  loadgen::EventLoop loop;
  Setup setup{*tls, loadgen::loopback_server(server.port()), loop, {}, {}};
  crypto::SystemRng rng;
  Run run{options,
          server,
          setup,
          OwnedChannel("bench_fanout", "Fan-out benchmark", rng),
          OwnedChannel("bench_catchup", "Catch-up benchmark", rng),
          1,
          {}};
  if (!set_up(run, subscribers)) {
    std::printf("\nThe benchmark could not finish its set-up. Server log (last lines):\n%s",
                server.log_tail(15).c_str());
    return 2;
  }
  run_rounds(run);
  if (run.rounds.empty()) return 2;
  const bool all_met = print_goals(run.rounds, options, subscribers);
  std::printf("\n%s\n",
              all_met ? "Every goal is met." : "Some goal is MISSED or not measured (see above).");
  std::printf(
      "Reproduce: `make bench` (this binary with its defaults), or\n  %s --server-bin %s "
      "--subscribers %zu --posts %zu --post-bytes %zu --post-gap-ms %g --catchup-posts %zu "
      "--catchup-page %zu --server-threads %u --repeat %zu\n",
      loadgen::self_path(program).c_str(), options.server_bin.c_str(), subscribers, options.posts,
      options.post_bytes, options.post_gap_ms, options.catchup_posts, options.catchup_page,
      options.server_threads, options.repeat);
  return 0;
}

loadgen::ServerLaunch launch_for(const Options& options, const std::filesystem::path& work_dir,
                                 std::size_t subscribers) {
  loadgen::ServerLaunch launch;
  launch.binary = options.server_bin;
  launch.work_dir = work_dir;
  launch.cpu = options.server_cpu;
  launch.threads = options.server_threads;
  launch.max_connections =
      static_cast<std::uint32_t>(first_subscriber + subscribers) + extra_connections;
  launch.written_by = program;
  return launch;
}

int run_benchmark(const Options& options, const std::filesystem::path& work_dir,
                  const std::string& isolation) {
  if (!loadgen::pin_to_cpu(options.generator_cpu))
    std::printf("warning: could not pin the generator to CPU %d\n", options.generator_cpu);
  const std::size_t subscribers = subscriber_count(options);
  const loadgen::ServerLaunch launch = launch_for(options, work_dir, subscribers);
  std::printf(
      "%s: server %s --threads %u pinned to CPU %d; generator pinned to CPU %d; work dir %s\n",
      program, launch.binary.c_str(), launch.threads, launch.cpu, options.generator_cpu,
      work_dir.c_str());
  std::printf(
      "scheduling: %s (the server inherits it); machine load average before the run: %s on "
      "%ld CPUs\n",
      isolation.c_str(), loadgen::load_average().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("Server configuration written by the benchmark:\n%s",
              loadgen::benchmark_config(launch).c_str());
  auto server = loadgen::ServerProcess::start(launch);
  if (!server) {
    std::fprintf(stderr, "%s: %s\n", program, server.error().describe().c_str());
    return 2;
  }
  std::printf("server pid %d listening on 127.0.0.1:%u\n", (*server)->pid(), (*server)->port());
  const int status = run_with_server(options, **server, subscribers);
  std::printf("\nserver %s\n", (*server)->stop().c_str());
  return status;
}

}  // namespace
}  // namespace bulwark::bench_channel

int main(int argc, char** argv) {
  using namespace bulwark;
  const bench_channel::Options options = bench_channel::parse_options(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::filesystem::path work_dir =
      loadgen::make_work_dir(options.work_dir, bench_channel::program);
  if (work_dir.empty()) {
    std::fprintf(stderr, "%s: cannot create a work directory\n", bench_channel::program);
    return 2;
  }
  // The supervisor deletes a directory the run made itself, even after a kill.
  const bool remove = !options.keep_work_dir && options.work_dir.empty();
  const std::string isolation =
      loadgen::start_supervised_run(options.nice, remove ? work_dir : std::filesystem::path());
  loadgen::install_child_guard(options.time_limit_seconds, bench_channel::program);
  return bench_channel::run_benchmark(options, work_dir, isolation);
}
