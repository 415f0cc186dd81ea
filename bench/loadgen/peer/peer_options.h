// bulwark-loadgen-peer's command line: the peer scenario's knobs, named and defaulted as the
// XMPP harness's environment (/work/shared/peers/xmpp_bench.sh: IDLE_CLIENTS, RELAY_CLIENTS,
// RELAY_MSGS, RELAY_WINDOW, RELAY_W1_MSGS, WARMUP_MSGS, BODY, IDLE_SETTLE, PHASE_LIMIT, SEED).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace bulwark::loadgen::peer {

struct PeerOptions {
  std::string server_bin;
  std::string server_version = "unknown";  // printed as server_version (the caller's git id)
  bool tls = false;                        // proto=bulwark-wss instead of bulwark-ws
  unsigned server_threads = 2;             // ejabberd runs 2 schedulers on this machine
  std::size_t idle_clients = 5000;
  std::size_t idle_in_flight = 200;
  double idle_settle_s = 3;
  std::size_t relay_clients = 200;
  std::size_t relay_msgs = 1000;
  std::size_t relay_window = 16;
  std::size_t relay_w1_msgs = 200;
  std::size_t warmup_msgs = 50;
  std::size_t body_bytes = 100;
  double phase_limit_s = 60;
  double drain_s = 5;
  std::uint64_t seed = 12345;
  int coalesce_us = 200;
  bool franking = true;
  std::size_t registration_concurrency = 32;
  unsigned time_limit_s = 900;  // the whole run; the child guard kills the server after it
  std::string json_file;        // empty: no JSON
  std::string work_dir;
  bool keep_work_dir = false;
};

[[nodiscard]] PeerOptions parse_peer_options(int argc, char** argv);

}  // namespace bulwark::loadgen::peer
