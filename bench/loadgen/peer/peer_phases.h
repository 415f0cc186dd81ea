// The peer scenario's servers and phases: accounts are registered once, on a template server;
// each phase then runs on a fresh bulwark-server started on a copy of the template's data
// directory (so registration is never part of a timed phase, and no phase inherits another's
// garbage), unpinned with --threads N, on its plaintext listener or, with --tls, on TLS.
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

// Registers `count` one-device accounts on a server in `work_dir`/template, then stops it.
// Empty on failure (the reason on stderr).
[[nodiscard]] std::vector<DeviceCredentials> register_template(
    const PeerOptions& options, const std::filesystem::path& work_dir, std::size_t count);

struct PhaseServer {
  std::unique_ptr<ServerProcess> process;
  std::unique_ptr<TlsClientContext> tls;  // a plaintext context unless --tls
  ServerAddress address;
};

// A fresh server on a copy of the template's data, in `work_dir`/`name`; null on failure.
[[nodiscard]] std::unique_ptr<PhaseServer> start_phase_server(const PeerOptions& options,
                                                              const std::filesystem::path& work_dir,
                                                              const char* name);

// Phase 1: adds server_rss_start_kb, the idle_* keys and server_cpu_idle_phase_s.
bool run_idle_phase(const PeerOptions& options, const std::filesystem::path& work_dir,
                    const std::vector<DeviceCredentials>& devices, PeerReport& report,
                    double& server_cpu_s);

// Phases 2 and 3 on one server: warm-up, relay, relay_w1 (the relay_* and relay_w1_* keys).
bool run_relay_phases(const PeerOptions& options, const std::filesystem::path& work_dir,
                      const std::vector<DeviceCredentials>& devices, PeerReport& report,
                      double& server_cpu_s);

}  // namespace bulwark::loadgen::peer
