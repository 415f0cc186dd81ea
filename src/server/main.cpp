// bulwark-server: the messaging service (docs/SERVER.md). Settings come from an optional TOML
// file (--config) with command-line flags on top; with neither it serves on 127.0.0.1:8443
// from ./bulwark-data. Exit codes: 0 after a clean stop, 1 for bad usage or configuration,
// 2 when the server cannot start (data directory, database, port).
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "server/config.h"
#include "server/server.h"

namespace {

struct Flags {
  std::optional<std::string> config_file, data_dir, listen, verification, log_level;
  std::optional<unsigned> threads;
  std::optional<std::string> kt_origin;
  std::optional<std::int64_t> kt_epoch_ms;
  std::vector<std::string> kt_witnesses;
  std::optional<std::uint32_t> kt_quorum;
  std::optional<std::string> store, postgres;
  std::optional<std::string> bus, nats_url, node_id;
};

bulwark::Result<bulwark::server::ServerConfig> configure(const Flags& flags) {
  using bulwark::server::ServerConfig;
  std::optional<std::filesystem::path> file;
  if (flags.config_file) file = *flags.config_file;
  ServerConfig config = BULWARK_TRY(bulwark::server::load_config(file));
  if (flags.data_dir) config.data_dir = *flags.data_dir;
  if (flags.listen) {
    auto [host, port] = BULWARK_TRY(bulwark::server::parse_listen(*flags.listen));
    config.listen_host = host;
    config.listen_port = port;
  }
  if (flags.verification) config.verification = *flags.verification;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.threads) config.threads = *flags.threads;
  if (flags.kt_origin) config.kt_origin = *flags.kt_origin;
  if (flags.kt_epoch_ms) config.kt_epoch = std::chrono::milliseconds(*flags.kt_epoch_ms);
  for (const std::string& witness : flags.kt_witnesses) config.kt_witnesses.push_back(witness);
  if (flags.kt_quorum) config.kt_quorum = *flags.kt_quorum;
  if (flags.store) config.store_backend = *flags.store;
  if (flags.postgres) config.postgres = *flags.postgres;
  if (flags.bus) config.bus = *flags.bus;
  if (flags.nats_url) config.nats_url = *flags.nats_url;
  if (flags.node_id) {
    if (!bulwark::server::valid_node_id(*flags.node_id))
      return bulwark::fail(bulwark::Errc::invalid_argument,
                           "--node-id must be 1-128 of [A-Za-z0-9._-]");
    config.node_id = *flags.node_id;
  }
  BULWARK_TRY(bulwark::server::check_store(config));
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bulwark-server: end-to-end encrypted messaging; the server sees only ciphertext"};
  Flags flags;
  app.add_option("--config", flags.config_file, "TOML configuration file");
  app.add_option("--data-dir", flags.data_dir, "database, TLS certificate and keys (default ./bulwark-data)");
  app.add_option("--listen", flags.listen, "HOST:PORT to serve on (default 127.0.0.1:8443; port 0 picks one)");
  app.add_option("--verification", flags.verification,
                 "where verification codes go: log | file:PATH | webhook:URL (default log)");
  app.add_option("--log-level", flags.log_level, "trace|debug|info|warn|error (default info)");
  app.add_option("--threads", flags.threads, "I/O threads (default: one per core)");
  app.add_option("--kt-origin", flags.kt_origin, "key-transparency log name (default localhost/bulwark-kt)");
  app.add_option("--kt-epoch-ms", flags.kt_epoch_ms, "one KT log entry this often (default 1000)")
      ->check(CLI::Range(10, 3'600'000));
  app.add_option("--kt-witness", flags.kt_witnesses, "a witness's cosigner key (repeatable)");
  app.add_option("--kt-quorum", flags.kt_quorum, "cosignatures required before serving (default all)");
  app.add_option("--store", flags.store, "sqlite (default: DATA_DIR/bulwark.db) or postgres");
  app.add_option("--postgres", flags.postgres,
                 "the PostgreSQL connection string for --store postgres (password: use PGPASSWORD)");
  app.add_option("--bus", flags.bus, "live delivery between nodes: local | nats (default local)")
      ->check(CLI::IsMember({"local", "nats"}));
  app.add_option("--nats-url", flags.nats_url,
                 "NATS for --bus nats (default nats://127.0.0.1:4222)");
  app.add_option("--node-id", flags.node_id, "this node's name on the bus (default HOSTNAME-PID)");
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("bulwark-server");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  auto config = configure(flags);
  if (!config) {
    spdlog::error("configuration: {}", config.error().describe());
    return 1;
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  auto server = bulwark::server::Server::create(*config);
  if (!server) {
    spdlog::error("cannot start: {}", server.error().describe());
    return 2;
  }
  auto port = (*server)->listen();
  if (!port) {
    spdlog::error("cannot start: {}", port.error().describe());
    return 2;
  }
  (*server)->run();
  return 0;
}
