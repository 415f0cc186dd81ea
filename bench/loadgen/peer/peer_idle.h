// The idle phase of the peer scenario (/work/shared/peers/README.md): `clients` devices log
// in (connect, WebSocket upgrade, Challenge, Authenticate, QueueEmpty: the analogue of XMPP's
// SASL + bind + presence) with at most `in_flight` handshakes at a time; `settle_s` after the
// last login the server's VmRSS is read again. Per connection: ΔVmRSS / connected.
#pragma once

#include <sys/types.h>

#include <memory>
#include <vector>

#include "device.h"
#include "peer/peer_report.h"
#include "ws_client.h"

namespace bulwark::loadgen::peer {

struct IdleSettings {
  std::size_t clients = 5000;
  std::size_t in_flight = 200;
  double settle_s = 3;
  double time_limit_s = 60;
};

// Adds the idle_* keys to `report`; the connections are closed when it returns.
void run_idle(const TlsClientContext& tls, const ServerAddress& server,
              const std::vector<DeviceCredentials>& devices, const IdleSettings& settings,
              pid_t server_pid, PeerReport& report);

}  // namespace bulwark::loadgen::peer
