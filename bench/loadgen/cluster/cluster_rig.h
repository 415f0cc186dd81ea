// ClusterRig: everything a two-node cluster needs on this machine, started in order. One
// PostgreSQL (tests/support/pg_server.h: initdb + postgres on a free loopback port, fsync on,
// synchronous_commit on, as a deployment), one nats-server, and two bulwark-server nodes with
// `[store] backend = "postgres"` on one fresh database and `[cluster] bus = "nats"`, unpinned.
// Node 1 starts first and makes the key files of its data directory (kt/, franking/, lawful/,
// channel_views.key, tls/); they are copied into node 2's before node 2 starts, as
// docs/OPERATIONS.md asks of nodes sharing one database. The accounts are registered through
// node 1's API; both nodes then serve them.
//
// The PostgreSQL password goes to the nodes in PGPASSWORD, never in their configuration file.
// Destruction stops the nodes, then NATS, then PostgreSQL.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "cluster/cluster_options.h"
#include "cluster/nats_process.h"
#include "peer/peer_phases.h"
#include "support/pg_server.h"

namespace bulwark::loadgen::cluster {

struct ClusterRig {
  ~ClusterRig();

  std::unique_ptr<test::PgServer> postgres;
  std::unique_ptr<NatsProcess> nats;
  // nodes[0] holds the registered devices; every node serves all of them.
  std::vector<std::unique_ptr<peer::PhaseServer>> nodes;
};

// Null on failure, the reason on stderr. Progress on stderr.
[[nodiscard]] std::unique_ptr<ClusterRig> start_cluster(const ClusterOptions& options,
                                                        const std::filesystem::path& work_dir);

// The CPU seconds of `pid` and every process whose parent it is (PostgreSQL's backends).
[[nodiscard]] double process_tree_cpu_seconds(pid_t pid);

}  // namespace bulwark::loadgen::cluster
