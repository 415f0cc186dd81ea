// bulwark-loadgen: the server benchmark (bench/loadgen/README.md). Starts a fresh
// bulwark-server pinned to one CPU, pins itself to another, registers accounts through the
// real API and measures, in order: memory per idle connection, peak relay throughput with
// persistence (closed loop), and latency under a fixed open-loop schedule at fractions of
// that peak. Prints the goals of the server issue, met or missed. Exit code 0 when the
// benchmark ran (whatever the goals say), 2 when it could not run.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "child_guard.h"
#include "crypto/random.h"
#include "cpu_probe.h"
#include "disk_probe.h"
#include "disk_watch.h"
#include "isolation.h"
#include "options.h"
#include "proc_stats.h"
#include "report.h"
#include "run_files.h"
#include "server_process.h"

namespace bulwark::loadgen {
namespace {

constexpr std::size_t devices_per_idle_account = 16;  // api::max_devices_per_account
constexpr std::size_t handshakes_in_flight = 128;
// Descriptors a generator process keeps for itself besides its connections.
constexpr std::size_t reserved_descriptors = 64;

struct Fleet {
  std::vector<DeviceCredentials> traffic;  // [0, S) senders, [S, 2S) recipients
  std::vector<DeviceCredentials> idle;
  std::vector<AccountPlan> traffic_plans, idle_plans;
};

Fleet plan_fleet(std::size_t pairs, std::size_t idle_count) {
  Fleet fleet;
  crypto::SystemRng rng;
  std::size_t phone = 0;
  for (std::size_t i = 0; i < 2 * pairs; ++i) {
    fleet.traffic_plans.push_back({i, 1});
    fleet.traffic.push_back(new_device(phone_number(phone++), rng));
  }
  for (std::size_t first = 0; first < idle_count; first += devices_per_idle_account) {
    const std::size_t count = std::min(devices_per_idle_account, idle_count - first);
    fleet.idle_plans.push_back({first, count});
    const std::string number = phone_number(phone++);
    for (std::size_t k = 0; k < count; ++k) fleet.idle.push_back(new_device(number, rng));
  }
  return fleet;
}

struct Run {
  const Options& options;
  ServerProcess& server;
  const TlsClientContext& tls;
  ServerAddress address;
  Summary summary;
};

bool register_fleet(Run& run, Fleet& fleet) {
  CodeFile codes(run.server.codes_file());
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  const std::size_t concurrency = run.options.registration_concurrency;
  auto outcome = register_accounts(run.tls, run.address, codes, fleet.traffic, fleet.traffic_plans,
                                   concurrency, deadline);
  const auto idle = register_accounts(run.tls, run.address, codes, fleet.idle, fleet.idle_plans,
                                      concurrency, deadline);
  outcome.accounts += idle.accounts;
  outcome.devices += idle.devices;
  outcome.failed += idle.failed;
  outcome.seconds += idle.seconds;
  if (outcome.first_failure.empty()) outcome.first_failure = idle.first_failure;
  print_registration(outcome, fleet.traffic.size());
  return outcome.failed == 0;
}

// Throughput, then latency at fractions of the throughput just measured.
ThroughputReport measure_throughput(Run& run, Traffic& traffic, bool franked) {
  const Options& options = run.options;
  traffic.set_franking(franked);
  ThroughputReport throughput;
  throughput.pairs = options.pairs;
  throughput.before = fetch_metrics(run.tls, run.address);
  throughput.result = traffic.run_closed(options.window, options.warmup_seconds, options.seconds);
  throughput.after = fetch_metrics(run.tls, run.address);
  if (options.franking_compare) std::printf("  -- sends %s franking tags --\n", franked ? "with" : "without");
  print_throughput(throughput, options.window, options.content_bytes);
  return throughput;
}

// Stamping's cost in groups of four short closed-loop windows: with tags, without, without,
// with. A drift of the machine that is linear over a group (it was as large as the cost itself
// between whole runs) adds the same to both sides and cancels out.
std::vector<double> measure_franking_slices(Run& run, Traffic& traffic) {
  const Options& options = run.options;
  constexpr double slice_seconds = 2.0;
  constexpr double settle_seconds = 0.5;
  std::vector<double> costs;
  double franked_total = 0, unfranked_total = 0;
  for (std::size_t group = 0; group < options.franking_slices; ++group) {
    double franked = 0, unfranked = 0;
    for (bool with_tags : {true, false, false, true}) {
      traffic.set_franking(with_tags);
      const ClosedLoopResult slice = traffic.run_closed(options.window, settle_seconds, slice_seconds);
      (with_tags ? franked : unfranked) += messages_per_second(slice);
    }
    if (unfranked > 0) costs.push_back(100.0 * (1.0 - franked / unfranked));
    franked_total += franked / 2;
    unfranked_total += unfranked / 2;
  }
  traffic.set_franking(!options.unfranked);
  if (!costs.empty()) {
    std::vector<double> sorted = costs;
    std::sort(sorted.begin(), sorted.end());
    std::printf("\n== Franking, %zu groups of 2 s windows (with, without, without, with tags) ==\n"
                "  with tags %.0f msgs/s, without %.0f msgs/s on average; per group %.1f%% to %.1f%% "
                "fewer with tags, median %.1f%%\n",
                costs.size(), franked_total / costs.size(), unfranked_total / costs.size(),
                sorted.front(), sorted.back(), sorted[sorted.size() / 2]);
  }
  return costs;
}

Round run_round(Run& run, Traffic& traffic, std::size_t index) {
  const Options& options = run.options;
  Round round;
  round.reference_mb_per_s = reference_speed_mb_per_s(options.server_cpu);
  std::printf("\n  reference speed of the server's CPU %d (SHA-256, server idle): %.0f MB/s\n",
              options.server_cpu, round.reference_mb_per_s);
  const bool unfranked_first = options.franking_compare && index % 2 == 0;
  if (unfranked_first) round.unfranked = measure_throughput(run, traffic, false);
  round.throughput = measure_throughput(run, traffic, !options.unfranked);
  if (options.franking_compare && !unfranked_first) round.unfranked = measure_throughput(run, traffic, false);
  traffic.set_franking(!options.unfranked);
  if (options.franking_slices > 0) round.franking_slice_costs = measure_franking_slices(run, traffic);
  const double peak = messages_per_second(round.throughput.result);
  for (double load : options.latency_loads) {
    if (peak <= 0 || load <= 0) continue;
    LatencyReport report;
    report.load = load;
    report.before = fetch_metrics(run.tls, run.address);
    DiskWatch disk(run.server.work_dir());
    report.result = traffic.run_open(load * peak, 1.0, options.latency_seconds);
    report.disk_syncs = disk.stop();
    report.after = fetch_metrics(run.tls, run.address);
    print_latency(report);
    round.latency.push_back(std::move(report));
  }
  return round;
}

// The traffic connections, then --repeat rounds on them.
bool run_traffic(Run& run, Fleet& fleet) {
  const Options& options = run.options;
  if (options.generator_fifo)
    std::printf("\n  scheduling for the traffic phases: %s\n", make_generator_realtime().c_str());
  EventLoop loop;
  std::vector<std::unique_ptr<DeviceLink>> links;
  for (std::size_t i = 0; i < fleet.traffic.size(); ++i)
    links.push_back(std::make_unique<DeviceLink>(loop, run.tls, run.address, fleet.traffic[i], i));
  const ConnectOutcome connected = connect_links(loop, links, 0, links.size(), handshakes_in_flight,
                                                 Clock::now() + std::chrono::seconds(60));
  std::printf("  %zu traffic connections authenticated in %.2f s\n", connected.ready,
              connected.seconds);
  if (connected.failed > 0) {
    std::printf("  %zu FAILED: %s\n", connected.failed, connected.first_failure.c_str());
    return false;
  }
  Traffic traffic(loop, links, options.pairs, options.content_bytes, run.server.pid(),
                  options.server_cpu);
  for (std::size_t i = 0; i < options.repeat; ++i) {
    if (options.repeat > 1) std::printf("\n==== Round %zu of %zu ====\n", i + 1, options.repeat);
    run.summary.rounds.push_back(run_round(run, traffic, i));
  }
  return true;
}

int run_phases(Run& run, Fleet& fleet, std::size_t idle_count) {
  if (!register_fleet(run, fleet)) return 2;
  if (idle_count > 0) {
    const std::size_t per_worker = raise_open_files_limit() - reserved_descriptors;
    run.summary.idle = run_idle(run.tls, run.address, fleet.idle, idle_count,
                                run.options.idle_steps, per_worker, run.server.pid());
    print_idle(*run.summary.idle);
  }
  return run_traffic(run, fleet) ? 0 : 2;
}

std::size_t idle_capacity(const Options& options, const ServerProcess& server,
                          std::uint32_t max_connections) {
  const std::size_t server_files = process_open_files_limit(server.pid()).value_or(1024);
  const std::size_t capacity = std::min<std::size_t>(max_connections, server_files - 256);
  if (options.idle_connections > capacity) {
    std::printf("note: --idle-connections %zu lowered to %zu (the server's RLIMIT_NOFILE is %zu)\n",
                options.idle_connections, capacity, server_files);
    return capacity;
  }
  return options.idle_connections;
}

int run_with_server(const Options& options, ServerProcess& server, std::uint32_t max_connections) {
  auto tls = TlsClientContext::create(server.cert_file().string());
  if (!tls) return 2;
  Run run{options, server, *tls, loopback_server(server.port()), {}};
  const std::size_t idle_count = idle_capacity(options, server, max_connections);
  Fleet fleet = plan_fleet(options.pairs, idle_count);
  const int status = run_phases(run, fleet, idle_count);
  if (status != 0) {
    std::printf("\nThe benchmark could not finish. Server log (last lines):\n%s",
                server.log_tail(15).c_str());
    return status;
  }
  const bool all_met = print_goals(run.summary, options);
  std::printf("\n%s\n", all_met ? "Every goal is met." : "Some goal is MISSED or not measured (see above).");
  std::printf(
      "Reproduce: `make bench` (this binary with its defaults), or\n  %s --server-bin %s "
      "--pairs %zu --window %zu --seconds %g --latency-seconds %g --idle-connections %zu "
      "--server-threads %u --repeat %zu\n",
      self_path("bulwark-loadgen").c_str(), options.server_bin.c_str(), options.pairs,
      options.window, options.seconds, options.latency_seconds, options.idle_connections,
      options.server_threads, options.repeat);
  return 0;
}

int run_benchmark(const Options& options, const std::filesystem::path& work_dir,
                  const std::string& isolation) {
  if (!pin_to_cpu(options.loadgen_cpu))
    std::printf("warning: could not pin the generator to CPU %d\n", options.loadgen_cpu);
  ServerLaunch launch;
  launch.binary = options.server_bin;
  launch.work_dir = work_dir;
  launch.cpu = options.server_cpu;
  launch.threads = options.server_threads;
  std::printf(
      "bulwark-loadgen: server %s --threads %u pinned to CPU %d; generator pinned to "
      "CPU %d; work dir %s\n",
      launch.binary.c_str(), launch.threads, launch.cpu, options.loadgen_cpu, work_dir.c_str());
  std::printf(
      "scheduling: %s (the server inherits it); machine load average before the run: "
      "%s on %ld CPUs\n",
      isolation.c_str(), load_average().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN));
  const LatencyHistogram fsync = probe_fsync(work_dir, 200);
  std::printf(
      "disk under the work dir: 4 KiB write + fdatasync p50 %.3f ms, p99 %.3f ms, max "
      "%.3f ms (%llu samples)\n",
      static_cast<double>(fsync.percentile(0.5)) / 1e6,
      static_cast<double>(fsync.percentile(0.99)) / 1e6, static_cast<double>(fsync.max()) / 1e6,
      static_cast<unsigned long long>(fsync.count()));
  std::printf(
      "Server configuration written by the benchmark (rate limits raised so that they "
      "never throttle it):\n%s",
      benchmark_config(launch).c_str());
  int status = 2;
  {
    auto server = ServerProcess::start(launch);
    if (!server) {
      std::fprintf(stderr, "bulwark-loadgen: %s\n", server.error().describe().c_str());
    } else {
      std::printf("server pid %d listening on 127.0.0.1:%u\n", (*server)->pid(), (*server)->port());
      status = run_with_server(options, **server, launch.max_connections);
      std::printf("\nserver %s\n", (*server)->stop().c_str());
    }
  }
  return status;
}

}  // namespace
}  // namespace bulwark::loadgen

int main(int argc, char** argv) {
  using namespace bulwark::loadgen;
  const Options options = parse_options(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::filesystem::path work_dir = make_work_dir(options.work_dir, "bulwark-loadgen");
  if (work_dir.empty()) {
    std::fprintf(stderr, "bulwark-loadgen: cannot create a work directory\n");
    return 2;
  }
  // The supervisor deletes a directory the run made itself, even after a kill.
  const bool remove = !options.keep_work_dir && options.work_dir.empty();
  const std::string isolation =
      start_supervised_run(options.nice, remove ? work_dir : std::filesystem::path());
  install_child_guard(options.time_limit_seconds);
  return run_benchmark(options, work_dir, isolation);
}
