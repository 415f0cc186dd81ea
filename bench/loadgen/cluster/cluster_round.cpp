#include "cluster/cluster_round.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "cluster/cluster_rig.h"
#include "device_link.h"
#include "proc_stats.h"

namespace bulwark::loadgen::cluster {
namespace {

// Logins in flight at once, as the peer scenario's relay rounds.
constexpr std::size_t cluster_logins_in_flight = 100;

// /metrics is served on the TLS listener only; every node has node 1's certificate.
std::vector<MetricValues> read_metrics(const RoundProcesses& processes) {
  std::vector<MetricValues> out;
  const auto tls = TlsClientContext::create(processes.nodes.front()->process->cert_file().string());
  if (!tls) return out;
  for (const peer::PhaseServer* node : processes.nodes)
    out.push_back(fetch_metrics(*tls, loopback_server(node->process->port())));
  return out;
}

struct CpuSnapshot {
  std::vector<double> nodes;
  double postgres = 0, nats = 0;
};

CpuSnapshot cpu_now(const RoundProcesses& processes) {
  CpuSnapshot snapshot;
  for (const peer::PhaseServer* node : processes.nodes)
    snapshot.nodes.push_back(process_cpu_seconds(node->process->pid()).value_or(0));
  if (processes.postgres > 0) snapshot.postgres = process_tree_cpu_seconds(processes.postgres);
  if (processes.nats > 0) snapshot.nats = process_cpu_seconds(processes.nats).value_or(0);
  return snapshot;
}

}  // namespace

ClusterRound run_cluster_round(const RoundProcesses& processes, std::size_t clients,
                               peer::RelaySettings settings, double phase_limit_s,
                               const char* label) {
  ClusterRound round;
  const std::vector<DeviceCredentials>& devices = processes.nodes.front()->devices;
  const std::size_t count = std::min(clients, devices.size());
  const std::size_t nodes = processes.nodes.size();
  EventLoop loop;
  std::vector<std::unique_ptr<DeviceLink>> links;
  settings.node_of.clear();
  for (std::size_t i = 0; i < count; ++i) {
    const peer::PhaseServer& node = *processes.nodes[i % nodes];
    links.push_back(std::make_unique<DeviceLink>(loop, *node.tls, node.address, devices[i], i));
    links.back()->acknowledge_queued_envelopes();
    if (nodes > 1) settings.node_of.push_back(i % nodes);
  }
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(phase_limit_s * 1000));
  const ConnectOutcome outcome =
      connect_links(loop, links, 0, count, cluster_logins_in_flight, deadline);
  round.connected = outcome.ready;
  round.failed = outcome.failed;
  round.connect_s = outcome.seconds;
  round.first_failure = outcome.first_failure;
  if (outcome.failed == 0 && outcome.ready == count) {
    round.metrics_before = read_metrics(processes);
    const CpuSnapshot before = cpu_now(processes);
    round.relay = peer::run_relay(loop, links, settings, label);
    const CpuSnapshot after = cpu_now(processes);
    round.metrics_after = read_metrics(processes);
    for (std::size_t i = 0; i < nodes; ++i)
      round.node_cpu_s.push_back(after.nodes[i] - before.nodes[i]);
    round.postgres_cpu_s = after.postgres - before.postgres;
    round.nats_cpu_s = after.nats - before.nats;
  }
  // The last acknowledgements reach the nodes before the connections close.
  const auto linger = Clock::now() + std::chrono::milliseconds(300);
  while (Clock::now() < linger) loop.poll(std::chrono::milliseconds(10));
  return round;
}

}  // namespace bulwark::loadgen::cluster
