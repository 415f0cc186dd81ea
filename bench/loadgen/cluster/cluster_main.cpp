// bulwark-loadgen-cluster: issue 10's cluster figure (bench/loadgen/README.md, "Cluster
// latency"). Two bulwark-server nodes on one PostgreSQL and one NATS, all on this machine;
// clients split over both; at window 1 each sender alternates between a recipient on its own
// node and one on the other, so the difference between the two latency distributions is what
// crossing the bus adds. Then, for context, the same load on one SQLite node.
//
// A sibling of bulwark-loadgen-peer rather than a scenario of it: it shares the peer code's
// relay, registration and report (bulwark_loadgen_peer), but starts PostgreSQL and NATS and
// links libpq, which the ejabberd comparison has no use for, and its output has other keys.
// Exit code 0 when both phases ran (whatever the goals say, and whether or not every message
// arrived: cluster_lost and cluster_errors say that), 2 when one could not run.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "child_guard.h"
#include "cluster/cluster_chart.h"
#include "cluster/cluster_options.h"
#include "cluster/cluster_report.h"
#include "cluster/cluster_rig.h"
#include "cluster/cluster_round.h"
#include "proc_stats.h"
#include "run_files.h"

namespace bulwark::loadgen::cluster {
namespace {

void main_log(const std::string& text) {
  std::fprintf(stderr, "[bulwark-loadgen-cluster] %s\n", text.c_str());
}

std::string load_average_1m() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first;
}

peer::RelaySettings window_one(const ClusterOptions& options, std::size_t msgs) {
  peer::RelaySettings settings;
  settings.msgs = msgs;
  settings.window = 1;
  settings.body_bytes = options.body_bytes;
  settings.seed = options.seed;
  settings.relay_limit_s = options.phase_limit_s;
  settings.drain_s = options.drain_s;
  settings.coalesce_us = options.coalesce_us;
  settings.franking = options.franking;
  return settings;
}

// A discarded round first (connections, caches, PostgreSQL's plans); what it delivered is said
// on stderr, since a message lost here is as much a bug as one lost later.
void warm_up(const ClusterOptions& options, const RoundProcesses& processes, const char* label) {
  if (options.warmup_msgs == 0) return;
  const ClusterRound round =
      run_cluster_round(processes, options.clients, window_one(options, options.warmup_msgs),
                        options.phase_limit_s, label);
  main_log(std::string(label) + ": " + std::to_string(round.relay.delivered) + " of " +
           std::to_string(round.relay.sent) + " delivered (" +
           std::to_string(round.relay.same_node.count()) + " same node, " +
           std::to_string(round.relay.cross_node.count()) + " across), " +
           std::to_string(round.relay.errors) + " refused, " +
           std::to_string(round.relay.lost_connections) + " connections lost, " +
           std::to_string(round.failed) + " logins failed" +
           (round.relay.first_error.empty() ? "" : "; first refusal: " + round.relay.first_error));
}

void add_header(peer::PeerReport& report, const ClusterOptions& options) {
  report.add_count("machine_cores", static_cast<std::uint64_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
  report.add("scenario", "cluster:" + std::to_string(options.clients) + "x" +
                             std::to_string(options.msgs) +
                             "@w1 body:" + std::to_string(options.body_bytes) + "B");
  report.add("server_version", options.server_version);
  report.add("proto", options.tls ? "bulwark-wss" : "bulwark-ws");
  report.add("placement", "unpinned");
  report.add_count("server_threads", options.server_threads);
  report.add("cluster", "2 nodes, postgresql-15 synchronous_commit=on, nats-server");
  report.add("franking", options.franking ? "on" : "off");
  report.add("loadavg_1m_start", load_average_1m());
  report.print_new();
}

// The two-node phase; false when it could not run.
bool run_cluster_phase(const ClusterOptions& options, const std::filesystem::path& work_dir,
                       peer::PeerReport& report, ClusterRound& round) {
  const auto rig = start_cluster(options, work_dir);
  if (!rig) return false;
  std::this_thread::sleep_for(std::chrono::seconds(1));  // settle after the registrations
  RoundProcesses processes;
  for (const auto& node : rig->nodes) processes.nodes.push_back(node.get());
  processes.postgres = rig->postgres->pid();
  processes.nats = rig->nats->pid();
  warm_up(options, processes, "cluster warm-up");
  round = run_cluster_round(processes, options.clients, window_one(options, options.msgs),
                            options.phase_limit_s, "cluster");
  add_cluster_keys(report, options, round);
  report.print_new();
  return round.failed == 0 && round.relay.sent > 0;
}

bool run_sqlite_phase(const ClusterOptions& options, const std::filesystem::path& work_dir,
                      peer::PeerReport& report, ClusterRound& round) {
  main_log("the SQLite baseline: one node, the same load");
  const auto server =
      peer::start_phase_server(peer_options_for(options), work_dir, "sqlite", options.clients);
  if (!server) return false;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  RoundProcesses processes;
  processes.nodes.push_back(server.get());
  warm_up(options, processes, "sqlite warm-up");
  round = run_cluster_round(processes, options.clients, window_one(options, options.msgs),
                            options.phase_limit_s, "sqlite");
  add_sqlite_keys(report, round);
  report.print_new();
  server->process->stop();
  return round.failed == 0 && round.relay.sent > 0;
}

void write_results(const ClusterOptions& options, peer::PeerReport& report,
                   const ClusterRound& cluster, const ClusterRound* sqlite) {
  const std::filesystem::path dir = options.results_dir;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  std::vector<CdfSeries> series;
  std::vector<std::pair<std::string, double>> rates;
  if (sqlite != nullptr) {
    series.push_back({"one node, SQLite", sqlite->relay.latencies.cdf(201)});
    report.add_cdf("sqlite", series.back().points);
    rates.emplace_back("one node, SQLite",
                       sqlite->relay.duration_s > 0
                           ? static_cast<double>(sqlite->relay.delivered) / sqlite->relay.duration_s
                           : 0);
  }
  series.push_back({"cluster, same node", cluster.relay.same_node.cdf(201)});
  report.add_cdf("cluster_same", series.back().points);
  series.push_back({"cluster, across nodes", cluster.relay.cross_node.cdf(201)});
  report.add_cdf("cluster_cross", series.back().points);
  rates.emplace_back("two nodes, PostgreSQL + NATS",
                     cluster.relay.duration_s > 0
                         ? static_cast<double>(cluster.relay.delivered) / cluster.relay.duration_s
                         : 0);
  if (!report.write_json(dir / "cluster.json"))
    main_log("cannot write " + (dir / "cluster.json").string());
  const std::string subtitle = std::to_string(options.clients) + " clients, " +
                               std::to_string(options.msgs) + " messages each, " +
                               (options.tls ? "TLS" : "plaintext") + ", load average " +
                               load_average_1m();
  if (draw_cluster_charts(dir, subtitle, series, rates))
    main_log("wrote " + (dir / "cluster.json").string() +
             " and cluster-{latency,throughput}.{png,svg}");
}

int run(const ClusterOptions& options, const std::filesystem::path& work_dir) {
  peer::PeerReport report;
  add_header(report, options);
  ClusterRound cluster, sqlite;
  const bool cluster_ok = run_cluster_phase(options, work_dir, report, cluster);
  const bool sqlite_ok =
      !options.sqlite_baseline || run_sqlite_phase(options, work_dir, report, sqlite);
  const ClusterRound* baseline = options.sqlite_baseline ? &sqlite : nullptr;
  add_goal_keys(report, cluster, baseline);
  report.add("loadavg_1m", load_average_1m());
  report.print_new();
  if (!options.results_dir.empty()) write_results(options, report, cluster, baseline);
  return cluster_ok && sqlite_ok ? 0 : 2;
}

}  // namespace
}  // namespace bulwark::loadgen::cluster

int main(int argc, char** argv) {
  using namespace bulwark::loadgen;
  const cluster::ClusterOptions options = cluster::parse_cluster_options(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  raise_open_files_limit();
  const std::filesystem::path work_dir = make_work_dir(options.work_dir, "bulwark-loadgen-cluster");
  if (work_dir.empty()) {
    std::fprintf(stderr, "bulwark-loadgen-cluster: cannot create a work directory\n");
    return 2;
  }
  install_child_guard(options.time_limit_s, "bulwark-loadgen-cluster");
  const int status = cluster::run(options, work_dir);
  if (!options.keep_work_dir && options.work_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
  }
  return status;
}
