// bulwark-loadgen-cluster's command line (bench/loadgen/README.md, "Cluster latency"): how many
// clients, how many window-1 messages each, the body, and where the results go.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "peer/peer_options.h"

namespace bulwark::loadgen::cluster {

struct ClusterOptions {
  std::string server_bin;
  std::string server_version = "unknown";  // printed as server_version (the caller's git id)
  bool tls = false;                        // TLS WebSocket; default the plaintext listener
  // One I/O thread per node: two nodes, PostgreSQL, NATS and the generator share 2 cores here.
  unsigned server_threads = 1;
  std::size_t clients = 100;     // split evenly over the two nodes
  std::size_t msgs = 200;        // per client, window 1, alternating same / cross node
  std::size_t warmup_msgs = 20;  // per client, discarded
  std::size_t body_bytes = 100;  // the peer scenario's body
  bool sqlite_baseline = true;   // the same load on one SQLite node, for context
  double phase_limit_s = 60;     // sending stops after this long
  double drain_s = 5;            // then at most this long without progress
  std::uint64_t seed = 12345;    // destinations (xorshift64*)
  int coalesce_us = 0;           // sleep before each poll: none, latency is the point
  bool franking = true;          // a franking tag on every send, as Bulwark clients do
  std::size_t registration_concurrency = 32;
  unsigned time_limit_s = 600;  // the whole run; the child guard kills everything after it
  std::string results_dir;      // cluster.json and the charts; empty: none
  std::string work_dir;
  bool keep_work_dir = false;
};

[[nodiscard]] ClusterOptions parse_cluster_options(int argc, char** argv);

// The peer code's options for the same servers (registration, phase servers, relay limits).
[[nodiscard]] peer::PeerOptions peer_options_for(const ClusterOptions& options);

}  // namespace bulwark::loadgen::cluster
