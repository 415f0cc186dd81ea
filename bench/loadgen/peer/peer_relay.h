// The relay phase of the peer scenario (/work/shared/peers/README.md): every client sends
// `msgs` one-to-one messages to a uniformly random other client (xorshift64*, the harness's
// seed), each message's content being the harness's 100-byte body
// "s=<src> d=<dst> q=<seq> t=<CLOCK_MONOTONIC ns> xxx...", with at most `window` messages
// per sender that the recipient client has not yet received. Bulwark's real path: a
// SendMessage per message (the server answers OK only after the envelope is durably
// committed), the recipient acknowledges each envelope it receives (the server deletes it).
// Latency is receive time minus the body's send time.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device_link.h"
#include "peer/peer_report.h"

namespace bulwark::loadgen::peer {

struct RelaySettings {
  std::size_t msgs = 1000;
  std::size_t window = 16;
  std::size_t body_bytes = 100;
  std::uint64_t seed = 12345;
  double relay_limit_s = 45;  // stop sending after this long
  double drain_s = 5;         // then wait at most this long without progress
  int coalesce_us = 200;      // sleep before each poll, as the harness's generator does
  bool franking = true;       // a 32-byte franking tag on every send, as Bulwark clients do
  // The cluster benchmark (bench/loadgen/cluster): links[i] is connected to node node_of[i].
  // Empty: the peer scenario's uniformly random destinations. Otherwise each sender alternates:
  // its even-numbered messages go to a random other client on its own node, its odd-numbered
  // ones to a random client on another node, so that whatever disturbs the machine hits both
  // kinds alike. Requires at least two clients on every node used.
  std::vector<std::size_t> node_of;
};

struct RelayResult {
  std::uint64_t sent = 0, delivered = 0, acked_by_server = 0, errors = 0, misrouted = 0,
                bad_body = 0, lost_connections = 0;
  double duration_s = 0;         // first send to last delivery
  double loadgen_cpu_s = 0;      // this process over the relay
  double wall_s = 0;             // first send to the end of the drain
  std::uint64_t send_bytes = 0;  // SendMessage frames, WebSocket header included
  std::uint64_t push_bytes = 0;  // Envelope pushes received
  std::uint64_t response_bytes = 0;
  std::uint64_t ack_bytes = 0;
  std::string first_error;  // the first refusal's status and message, if any
  Latencies latencies;
  // With node_of only: the same deliveries split by whether sender and recipient share a node.
  Latencies same_node, cross_node;
};

// Runs the relay on `links` (all ready; `links[i]` is device i). Progress on stderr.
RelayResult run_relay(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
                      const RelaySettings& settings, const char* label);

}  // namespace bulwark::loadgen::peer
