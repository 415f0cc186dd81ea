// ClusterProcesses: a Bulwark cluster of real processes for the multi-node e2e tests (issue 10):
// one PostgreSQL server with one database, one nats-server (its monitoring port on, so that a
// test can see the nodes' subscriptions), and N bulwark-server nodes with
// `[store] backend = "postgres"` and `[cluster] bus = "nats"`, each on its own loopback port.
//
// The nodes share ONE key directory: every node's data directory is a symlink to it. In
// PostgreSQL mode a data directory holds only key files (kt/, franking/, lawful/,
// channel_views.key) and the TLS certificate, and all of them must be the same on every node:
// the KT log is signed with one key, a channel view token or a franking stamp made on one node
// is checked on another, and clients pin one certificate. Sharing (rather than copying once)
// also keeps franking rotation right: each new epoch key is made once, by whichever node
// rotates first (server/franking_keys.h); copies would each make their own. Node 0 starts
// first and creates the keys; the others start after it and load them.
//
// Each node is a ServerProcess (tests/e2e/support/server_process.h): kill() is SIGKILL,
// restart() comes back on the same port. Every wait is bounded; failures throw
// std::runtime_error naming what did not happen. The destructor kills only the processes
// this object started.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/nats_server.h"
#include "support/pg_server.h"
#include "support/process.h"
#include "support/server_process.h"

namespace bulwark::e2e {

// The node's config: the shared database and bus, and a KT entry every `kt_epoch_ms` so that
// new accounts are in the log quickly (as group_server_options()).
struct ClusterOptions {
  int nodes = 3;
  int kt_epoch_ms = 100;
  std::string extra_config;  // appended to every node's config (moderators, say)
};

class ClusterProcesses {
 public:
  // Starts PostgreSQL, NATS and the nodes under `dir` (node i in dir/node-i).
  ClusterProcesses(const std::filesystem::path& dir, ClusterOptions options = {});
  ~ClusterProcesses();
  ClusterProcesses(const ClusterProcesses&) = delete;
  ClusterProcesses& operator=(const ClusterProcesses&) = delete;

  [[nodiscard]] int size() const noexcept { return static_cast<int>(nodes_.size()); }
  // Requires 0 <= i < size().
  [[nodiscard]] ServerProcess& node(int i);
  [[nodiscard]] std::string url(int i) { return node(i).url(); }
  // The bus name of node i ("node-i"); its NATS connection is named "bulwark-node-i".
  [[nodiscard]] static std::string node_id(int i) { return "node-" + std::to_string(i); }

  // SIGKILL of node i (no goodbye to clients, NATS or PostgreSQL), reaped. Returns its status.
  ExitStatus kill(int i);
  // Starts the killed or stopped node i again: same port, same keys.
  void restart(int i);

  // What nats-server holds right now: NATS connection name -> the subjects it subscribes to.
  [[nodiscard]] std::map<std::string, std::vector<std::string>> nats_subscriptions() const;

 private:
  std::unique_ptr<test::PgServer> postgres_;
  std::unique_ptr<testing::NatsServer> nats_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
};

}  // namespace bulwark::e2e
