#include "cluster/cluster_rig.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "proc_stats.h"

namespace bulwark::loadgen::cluster {
namespace {

constexpr std::size_t cluster_nodes = 2;

void rig_log(const std::string& text) {
  std::fprintf(stderr, "[bulwark-loadgen-cluster] %s\n", text.c_str());
}

std::string node_config(const std::string& conninfo, const std::string& nats_url,
                        std::size_t node) {
  return "[store]\nbackend = \"postgres\"\npostgres = \"" + conninfo +
         "\"\n\n[cluster]\nbus = \"nats\"\nnats_url = \"" + nats_url + "\"\nnode_id = \"node-" +
         std::to_string(node + 1) + "\"\n";
}

// Node 1's key files into node 2's data directory: everything but a SQLite database, which a
// node on PostgreSQL does not use.
bool copy_node_keys(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::create_directories(to, error);
  for (const auto& entry : std::filesystem::directory_iterator(from, error)) {
    if (entry.path().filename().string().rfind("bulwark.db", 0) == 0) continue;
    std::filesystem::copy(entry.path(), to / entry.path().filename(),
                          std::filesystem::copy_options::recursive, error);
    if (error) {
      rig_log("cannot copy " + entry.path().string() + ": " + error.message());
      return false;
    }
  }
  return !error;
}

std::unique_ptr<peer::PhaseServer> start_node(const ClusterOptions& options,
                                              const std::filesystem::path& dir,
                                              const std::string& config) {
  ServerLaunch launch;
  launch.binary = options.server_bin;
  launch.work_dir = dir;
  launch.cpu = -1;  // unpinned: the nodes, PostgreSQL and NATS share the machine
  launch.threads = options.server_threads;
  launch.plaintext = !options.tls;
  launch.written_by = "bulwark-loadgen-cluster";
  launch.extra_config = config;
  auto process = ServerProcess::start(launch);
  if (!process) {
    rig_log("cannot start the node in " + dir.string() + ": " + process.error().describe());
    return nullptr;
  }
  auto node = std::make_unique<peer::PhaseServer>();
  node->process = std::move(*process);
  node->tls = options.tls ? TlsClientContext::create(node->process->cert_file().string())
                          : TlsClientContext::plaintext();
  if (!node->tls) return nullptr;
  node->address =
      loopback_server(options.tls ? node->process->port() : node->process->plaintext_port());
  return node;
}

}  // namespace

ClusterRig::~ClusterRig() {
  nodes.clear();  // each ServerProcess stops its node
  nats.reset();
  if (postgres) static_cast<void>(postgres->stop());
}

std::unique_ptr<ClusterRig> start_cluster(const ClusterOptions& options,
                                          const std::filesystem::path& work_dir) {
  auto rig = std::make_unique<ClusterRig>();
  rig_log("starting PostgreSQL (initdb takes a few seconds)");
  auto postgres = test::PgServer::start();
  if (!postgres) {
    rig_log("cannot start PostgreSQL: " + postgres.error().describe());
    return nullptr;
  }
  rig->postgres = std::move(*postgres);
  const auto database = rig->postgres->create_database();
  if (!database) {
    rig_log("cannot create the database: " + database.error().describe());
    return nullptr;
  }
  ::setenv("PGPASSWORD", rig->postgres->password().c_str(), 1);  // the nodes inherit it
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(rig->postgres->port()) +
                               " user=bulwark dbname=" + *database;
  auto nats = NatsProcess::start(work_dir / "nats");
  if (!nats) {
    rig_log("cannot start nats-server: " + nats.error().describe());
    return nullptr;
  }
  rig->nats = std::move(*nats);
  rig_log("PostgreSQL on port " + std::to_string(rig->postgres->port()) + ", NATS at " +
          rig->nats->url());
  for (std::size_t i = 0; i < cluster_nodes; ++i) {
    const std::filesystem::path dir = work_dir / ("node-" + std::to_string(i + 1));
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    if (i > 0 && !copy_node_keys(work_dir / "node-1" / "data", dir / "data")) return nullptr;
    auto node = start_node(options, dir, node_config(conninfo, rig->nats->url(), i));
    if (!node) return nullptr;
    rig_log("node " + std::to_string(i + 1) + " started, pid " +
            std::to_string(node->process->pid()));
    rig->nodes.push_back(std::move(node));
  }
  if (!peer::register_phase_accounts(peer_options_for(options), *rig->nodes[0], options.clients))
    return nullptr;
  return rig;
}

double process_tree_cpu_seconds(pid_t pid) {
  double total = process_cpu_seconds(pid).value_or(0);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long parent = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &parent) != 2) continue;
    if (parent == pid)
      total += process_cpu_seconds(static_cast<pid_t>(std::stol(name))).value_or(0);
  }
  return total;
}

}  // namespace bulwark::loadgen::cluster
