// One measured round of the cluster benchmark: every client logs in on its node (client i on
// node i mod N), then the window-1 relay of peer_relay.h runs with node_of set, so that each
// sender alternates between a recipient on its own node and one on the other node and the
// two kinds of delivery are measured in the same seconds. Around the relay it reads each
// node's CPU time (/proc) and bus counters (/metrics), and the CPU time of PostgreSQL (with
// its backends) and NATS. With one node and no extra processes it is the SQLite baseline.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "peer/peer_phases.h"
#include "peer/peer_relay.h"
#include "server_metrics.h"

namespace bulwark::loadgen::cluster {

struct ClusterRound {
  std::size_t connected = 0, failed = 0;
  double connect_s = 0;
  std::string first_failure;
  peer::RelayResult relay;
  std::vector<double> node_cpu_s;  // per node, over the relay
  double postgres_cpu_s = 0, nats_cpu_s = 0;
  std::vector<MetricValues> metrics_before, metrics_after;  // per node; empty on failure
};

struct RoundProcesses {
  std::vector<const peer::PhaseServer*> nodes;  // the devices are nodes[0]->devices
  pid_t postgres = -1;                          // -1: none
  pid_t nats = -1;
};

// `settings.node_of` is filled here when there is more than one node.
[[nodiscard]] ClusterRound run_cluster_round(const RoundProcesses& processes, std::size_t clients,
                                             peer::RelaySettings settings, double phase_limit_s,
                                             const char* label);

}  // namespace bulwark::loadgen::cluster
