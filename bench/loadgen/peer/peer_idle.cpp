#include "peer/peer_idle.h"

#include <cstdio>

#include "device_link.h"
#include "proc_stats.h"

namespace bulwark::loadgen::peer {

void run_idle(const TlsClientContext& tls, const ServerAddress& server,
              const std::vector<DeviceCredentials>& devices, const IdleSettings& settings,
              pid_t server_pid, PeerReport& report) {
  const std::size_t count = std::min(settings.clients, devices.size());
  const double cpu0 = self_cpu_seconds();
  const double server_cpu0 = process_cpu_seconds(server_pid).value_or(0);
  const std::uint64_t rss_before = process_rss_kib(server_pid).value_or(0);
  EventLoop loop;
  std::vector<std::unique_ptr<DeviceLink>> links;
  links.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    links.push_back(std::make_unique<DeviceLink>(loop, tls, server, devices[i], i));
  std::fprintf(stderr, "[bulwark-loadgen-peer] idle: %zu logins, %zu in flight\n", count,
               settings.in_flight);
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(settings.time_limit_s * 1000));
  const ConnectOutcome outcome = connect_links(loop, links, 0, count, settings.in_flight, deadline);
  const double server_cpu_ready = process_cpu_seconds(server_pid).value_or(0);
  std::fprintf(stderr, "[bulwark-loadgen-peer] idle: %zu online, %zu failed in %.1f s%s%s\n",
               outcome.ready, outcome.failed, outcome.seconds,
               outcome.failed > 0 ? "; first failure: " : "", outcome.first_failure.c_str());
  // Settle with the connections serviced, as a client holding them would.
  const auto settle_end =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(settings.settle_s * 1000));
  while (Clock::now() < settle_end) loop.poll(std::chrono::milliseconds(20));
  const std::uint64_t rss_after = process_rss_kib(server_pid).value_or(0);
  const double loadgen_cpu = self_cpu_seconds() - cpu0;
  links.clear();  // disconnect

  const double connected = static_cast<double>(outcome.ready);
  report.add_count("idle_clients", count);
  report.add_count("idle_connected", outcome.ready);
  report.add_count("idle_failed", outcome.failed);
  report.add("idle_connect_s", outcome.seconds, 3);
  report.add("idle_logins_per_s", outcome.seconds > 0 ? connected / outcome.seconds : 0, 0);
  report.add("idle_loadgen_cpu_s", loadgen_cpu, 3);
  report.add("idle_server_login_cpu_s", server_cpu_ready - server_cpu0, 3);
  report.add("idle_server_login_cpu_ms_per_conn",
             connected > 0 ? 1000.0 * (server_cpu_ready - server_cpu0) / connected : -1, 3);
  report.add("idle_settle_s", settings.settle_s, 1);
  report.add_count("idle_rss_before_kb", rss_before);
  report.add_count("idle_rss_after_kb", rss_after);
  report.add("idle_rss_per_conn_kb",
             connected > 0
                 ? (static_cast<double>(rss_after) - static_cast<double>(rss_before)) / connected
                 : -1,
             2);
  if (outcome.failed > 0) report.add("idle_first_failure", "\"" + outcome.first_failure + "\"");
}

}  // namespace bulwark::loadgen::peer
