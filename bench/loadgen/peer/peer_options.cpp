#include "peer/peer_options.h"

#include <CLI/CLI.hpp>

#include "run_files.h"

namespace bulwark::loadgen::peer {

PeerOptions parse_peer_options(int argc, char** argv) {
  PeerOptions o;
  o.server_bin = default_server_bin();
  CLI::App app{
      "bulwark-loadgen-peer: the ejabberd peer scenario (idle, relay, relay_w1) against a fresh "
      "bulwark-server per phase; prints the XMPP harness's key=value names"};
  app.add_option("--server-bin", o.server_bin, "bulwark-server binary")->capture_default_str();
  app.add_option("--server-version", o.server_version, "printed as server_version");
  app.add_flag("--tls", o.tls, "TLS WebSocket (proto=bulwark-wss); default plaintext, loopback");
  app.add_option("--server-threads", o.server_threads, "server I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--idle-clients", o.idle_clients, "IDLE_CLIENTS")
      ->capture_default_str()
      ->check(CLI::Range(0, 18000));
  app.add_option("--idle-concurrency", o.idle_in_flight, "handshakes in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 5000));
  app.add_option("--idle-settle", o.idle_settle_s, "IDLE_SETTLE seconds")->capture_default_str();
  app.add_option("--relay-clients", o.relay_clients, "RELAY_CLIENTS")
      ->capture_default_str()
      ->check(CLI::Range(2, 5000));
  app.add_option("--relay-msgs", o.relay_msgs, "RELAY_MSGS per client")->capture_default_str();
  app.add_option("--relay-window", o.relay_window, "RELAY_WINDOW")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--relay-w1-msgs", o.relay_w1_msgs, "RELAY_W1_MSGS per client (0: skip)")
      ->capture_default_str();
  app.add_option("--warmup-msgs", o.warmup_msgs, "WARMUP_MSGS per client (0: none)")
      ->capture_default_str();
  app.add_option("--body", o.body_bytes, "BODY bytes (the envelope's content)")
      ->capture_default_str()
      ->check(CLI::Range(48, 500));
  app.add_option("--phase-limit", o.phase_limit_s, "PHASE_LIMIT seconds")->capture_default_str();
  app.add_option("--drain", o.drain_s, "seconds without progress before the relay gives up")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "SEED of the destinations (xorshift64*)")->capture_default_str();
  app.add_option("--coalesce-us", o.coalesce_us, "sleep before each poll during the relay")
      ->capture_default_str();
  app.add_option("--franking", o.franking, "a franking tag on every send, as Bulwark clients")
      ->capture_default_str();
  app.add_option("--registration-concurrency", o.registration_concurrency)->capture_default_str();
  app.add_option("--time-limit", o.time_limit_s, "seconds for the whole run")
      ->capture_default_str();
  app.add_option("--json", o.json_file, "also write the figures (and latency CDFs) as JSON");
  app.add_option("--work-dir", o.work_dir, "default: a fresh /tmp/bulwark-loadgen-peer-*");
  app.add_flag("--keep-work-dir", o.keep_work_dir);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::exit(app.exit(error));
  }
  return o;
}

}  // namespace bulwark::loadgen::peer
