#include "peer/peer_phases.h"

#include <cstdio>
#include <thread>

#include "code_file.h"
#include "crypto/random.h"
#include "peer/peer_idle.h"
#include "proc_stats.h"
#include "registration.h"

namespace bulwark::loadgen::peer {
namespace {

void peer_log(const std::string& text) {
  std::fprintf(stderr, "[bulwark-loadgen-peer] %s\n", text.c_str());
}

ServerLaunch peer_launch(const PeerOptions& options, const std::filesystem::path& dir,
                         bool plaintext) {
  ServerLaunch launch;
  launch.binary = options.server_bin;
  launch.work_dir = dir;
  launch.cpu = -1;  // unpinned, like ejabberd
  launch.threads = options.server_threads;
  launch.plaintext = plaintext;
  launch.written_by = "bulwark-loadgen-peer";
  return launch;
}

double cpu_of(const PhaseServer& server) {
  return process_cpu_seconds(server.process->pid()).value_or(0);
}

void pause_for(double seconds) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(seconds * 1000)));
}

}  // namespace

bool register_phase_accounts(const PeerOptions& options, PhaseServer& server, std::size_t count) {
  std::vector<AccountPlan> plans;
  crypto::SystemRng rng;
  for (std::size_t i = 0; i < count; ++i) {
    server.devices.push_back(new_device(phone_number(i), rng));
    plans.push_back({i, 1});
  }
  peer_log("registering " + std::to_string(count) + " accounts (not timed)");
  CodeFile codes(server.process->codes_file());
  const RegistrationOutcome outcome = register_accounts(
      *server.tls, server.address, codes, server.devices, plans, options.registration_concurrency,
      Clock::now() + std::chrono::seconds(options.time_limit_s));
  char line[160];
  std::snprintf(line, sizeof line, "registered %zu accounts in %.1f s, %zu failed",
                outcome.accounts, outcome.seconds, outcome.failed);
  peer_log(line);
  if (outcome.failed == 0) return true;
  peer_log("registration failed: " + outcome.first_failure + "\n" + server.process->log_tail(10));
  return false;
}

std::unique_ptr<PhaseServer> start_phase_server(const PeerOptions& options,
                                                const std::filesystem::path& work_dir,
                                                const char* name, std::size_t accounts) {
  const std::filesystem::path dir = work_dir / name;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  auto server = ServerProcess::start(peer_launch(options, dir, !options.tls));
  if (!server) {
    peer_log(std::string("cannot start the ") + name + " server: " + server.error().describe());
    return nullptr;
  }
  auto phase = std::make_unique<PhaseServer>();
  phase->process = std::move(*server);
  phase->tls = options.tls ? TlsClientContext::create(phase->process->cert_file().string())
                           : TlsClientContext::plaintext();
  if (!phase->tls) return nullptr;
  phase->address =
      loopback_server(options.tls ? phase->process->port() : phase->process->plaintext_port());
  if (!register_phase_accounts(options, *phase, accounts)) return nullptr;
  return phase;
}

bool run_idle_phase(const PeerOptions& options, const std::filesystem::path& work_dir,
                    PeerReport& report, double& server_cpu_s) {
  auto server = start_phase_server(options, work_dir, "idle", options.idle_clients);
  if (!server) return false;
  pause_for(2);  // let the server settle after the registrations
  const pid_t pid = server->process->pid();
  report.add_count("server_rss_start_kb", process_rss_kib(pid).value_or(0));
  const double cpu0 = cpu_of(*server);
  IdleSettings settings;
  settings.clients = options.idle_clients;
  settings.in_flight = options.idle_in_flight;
  settings.settle_s = options.idle_settle_s;
  settings.time_limit_s = options.phase_limit_s;
  run_idle(*server->tls, server->address, server->devices, settings, pid, report);
  pause_for(2);  // let the server reap the closed sessions
  server_cpu_s = cpu_of(*server) - cpu0;
  report.add("server_cpu_idle_phase_s", server_cpu_s, 3);
  server->process->stop();
  return true;
}

}  // namespace bulwark::loadgen::peer
