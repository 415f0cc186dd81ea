#include "cluster/cluster_options.h"

#include <CLI/CLI.hpp>

#include "run_files.h"

namespace bulwark::loadgen::cluster {

ClusterOptions parse_cluster_options(int argc, char** argv) {
  ClusterOptions o;
  o.server_bin = default_server_bin();
  CLI::App app{
      "bulwark-loadgen-cluster: two bulwark-server nodes on one PostgreSQL and one NATS; "
      "delivery latency between clients on the same node and across nodes, interleaved"};
  app.add_option("--server-bin", o.server_bin, "bulwark-server binary")->capture_default_str();
  app.add_option("--server-version", o.server_version, "printed as server_version");
  app.add_flag("--tls", o.tls, "TLS WebSocket; default plaintext, loopback");
  app.add_option("--server-threads", o.server_threads, "I/O threads per node")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--clients", o.clients, "clients, half on each node")
      ->capture_default_str()
      ->check(CLI::Range(4, 5000));
  app.add_option("--msgs", o.msgs, "messages per client (window 1)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  app.add_option("--warmup-msgs", o.warmup_msgs, "discarded messages per client first (0: none)")
      ->capture_default_str();
  app.add_option("--body", o.body_bytes, "the envelope's content bytes")
      ->capture_default_str()
      ->check(CLI::Range(48, 500));
  app.add_option("--sqlite-baseline", o.sqlite_baseline,
                 "also run the same load on one SQLite node")
      ->capture_default_str();
  app.add_option("--phase-limit", o.phase_limit_s, "seconds of sending per phase")
      ->capture_default_str();
  app.add_option("--drain", o.drain_s, "seconds without progress before a phase gives up")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the destinations (xorshift64*)")->capture_default_str();
  app.add_option("--coalesce-us", o.coalesce_us, "sleep before each poll")->capture_default_str();
  app.add_option("--franking", o.franking, "a franking tag on every send")->capture_default_str();
  app.add_option("--registration-concurrency", o.registration_concurrency)->capture_default_str();
  app.add_option("--time-limit", o.time_limit_s, "seconds for the whole run")
      ->capture_default_str();
  app.add_option("--results-dir", o.results_dir,
                 "write cluster.json and cluster-latency / cluster-throughput charts here");
  app.add_option("--work-dir", o.work_dir, "default: a fresh /tmp/bulwark-loadgen-cluster-*");
  app.add_flag("--keep-work-dir", o.keep_work_dir);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));
  }
  return o;
}

peer::PeerOptions peer_options_for(const ClusterOptions& options) {
  peer::PeerOptions peer;
  peer.server_bin = options.server_bin;
  peer.server_version = options.server_version;
  peer.tls = options.tls;
  peer.server_threads = options.server_threads;
  peer.idle_clients = 0;
  peer.relay_clients = options.clients;
  peer.body_bytes = options.body_bytes;
  peer.phase_limit_s = options.phase_limit_s;
  peer.drain_s = options.drain_s;
  peer.seed = options.seed;
  peer.coalesce_us = options.coalesce_us;
  peer.franking = options.franking;
  peer.registration_concurrency = options.registration_concurrency;
  peer.time_limit_s = options.time_limit_s;
  return peer;
}

}  // namespace bulwark::loadgen::cluster
