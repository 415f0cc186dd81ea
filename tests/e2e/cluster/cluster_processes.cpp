#include "cluster/cluster_processes.h"

#include <stdexcept>

#include "cluster/nats_monitor.h"

namespace bulwark::e2e {

namespace fs = std::filesystem;

namespace {

// A TOML basic string holding `text` (a conninfo may contain quotes and backslashes).
std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string node_config(const std::string& conninfo, const std::string& nats_url,
                        const std::string& node_id, int kt_epoch_ms) {
  return "[store]\nbackend = \"postgres\"\npostgres = " + toml_string(conninfo) +
         "\n\n[cluster]\nbus = \"nats\"\nnats_url = " + toml_string(nats_url) +
         "\nnode_id = " + toml_string(node_id) +
         "\n\n[transparency]\nepoch_ms = " + std::to_string(kt_epoch_ms) +
         "\nwitnesses = []\nquorum = 0\n";
}

}  // namespace

ClusterProcesses::ClusterProcesses(const fs::path& dir, ClusterOptions options) {
  if (options.nodes < 1) throw std::invalid_argument("a cluster needs at least one node");
  auto postgres = test::PgServer::start();
  if (!postgres) throw std::runtime_error("PostgreSQL: " + postgres.error().describe());
  postgres_ = std::move(*postgres);
  auto database = postgres_->create_database();
  if (!database) throw std::runtime_error("PostgreSQL database: " + database.error().describe());
  nats_ = std::make_unique<testing::NatsServer>(/*monitoring=*/true);

  const fs::path keys = dir / "shared-keys";
  fs::create_directories(keys);
  for (int i = 0; i < options.nodes; ++i) {
    const fs::path node_dir = dir / ("node-" + std::to_string(i));
    fs::create_directories(node_dir);
    // ServerProcess's data directory is node_dir/server: here, the shared key directory.
    fs::create_directory_symlink(keys, node_dir / "server");
    ServerOptions server;
    server.threads = 1;  // three nodes, PostgreSQL and NATS share the machine's cores
    server.config_toml =
        node_config(postgres_->conninfo(*database), nats_->url(), node_id(i), options.kt_epoch_ms) +
        options.extra_config;
    // Node 0 creates the keys and the certificate; the rest start once it is healthy.
    nodes_.push_back(std::make_unique<ServerProcess>(node_dir, std::move(server)));
  }
}

ClusterProcesses::~ClusterProcesses() {
  // Nodes first (each ServerProcess SIGKILLs its own pid), then the bus and the database.
  nodes_.clear();
  nats_.reset();
  postgres_.reset();
}

ServerProcess& ClusterProcesses::node(int i) {
  if (i < 0 || i >= size()) throw std::out_of_range("no cluster node " + std::to_string(i));
  return *nodes_[static_cast<std::size_t>(i)];
}

ExitStatus ClusterProcesses::kill(int i) { return node(i).kill(); }

void ClusterProcesses::restart(int i) { node(i).restart(); }

std::map<std::string, std::vector<std::string>> ClusterProcesses::nats_subscriptions() const {
  return nats_subscriptions_at(nats_->monitor_port());
}

}  // namespace bulwark::e2e
