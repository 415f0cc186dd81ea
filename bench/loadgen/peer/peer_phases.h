// The peer scenario's servers and phases. Each phase runs on a fresh bulwark-server (its own
// empty data directory), unpinned with --threads N, on its plaintext listener or, with --tls,
// on TLS. The phase's accounts are registered through the API on that server before anything
// is measured (registration is never part of a timed figure).
//
// Why not register once and copy a data-directory snapshot per phase: a server restarted on
// the data of 1,200 quick registrations (two key-transparency entries) refuses to start ("kt:
// the log in the store does not verify at entry 1"), a restore bug reported with this change;
// until it is fixed, each phase registers its own accounts (5,000 take 3-15 s here).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "device.h"
#include "peer/peer_options.h"
#include "peer/peer_report.h"
#include "server_process.h"
#include "ws_client.h"

namespace bulwark::loadgen::peer {

struct PhaseServer {
  std::unique_ptr<ServerProcess> process;
  std::unique_ptr<TlsClientContext> tls;  // a plaintext context unless --tls
  ServerAddress address;
  std::vector<DeviceCredentials> devices;  // registered, one device per account
};

// Registers `count` accounts (one device each) through `server`'s API, appending them to
// server.devices; false on any failure (the reason on stderr). Progress on stderr.
[[nodiscard]] bool register_phase_accounts(const PeerOptions& options, PhaseServer& server,
                                           std::size_t count);

// A fresh server in `work_dir`/`name` with `accounts` registered; null on failure (the reason
// on stderr).
[[nodiscard]] std::unique_ptr<PhaseServer> start_phase_server(const PeerOptions& options,
                                                              const std::filesystem::path& work_dir,
                                                              const char* name,
                                                              std::size_t accounts);

// Phase 1: adds server_rss_start_kb, the idle_* keys and server_cpu_idle_phase_s.
bool run_idle_phase(const PeerOptions& options, const std::filesystem::path& work_dir,
                    PeerReport& report, double& server_cpu_s);

// Phases 2 and 3 on one server: warm-up, relay, relay_w1 (the relay_* and relay_w1_* keys).
bool run_relay_phases(const PeerOptions& options, const std::filesystem::path& work_dir,
                      PeerReport& report, double& server_cpu_s);

}  // namespace bulwark::loadgen::peer
