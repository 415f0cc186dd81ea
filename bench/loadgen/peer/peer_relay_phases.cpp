// Phases 2 and 3 of the peer scenario (peer_phases.h): one fresh server; a discarded warm-up;
// the relay at window RELAY_WINDOW; relay_w1 at window 1. Each is its own login of the relay
// clients, as each is its own xmpp_load process in the harness.
#include <cstdio>
#include <fstream>
#include <thread>

#include "disk_probe.h"
#include "peer/peer_phases.h"
#include "peer/peer_relay.h"
#include "proc_stats.h"

namespace bulwark::loadgen::peer {
namespace {

// Connections a relay round logs in at once (xmpp_load's default --concurrency).
constexpr std::size_t relay_logins_in_flight = 100;

struct Round {
  std::size_t connected = 0, failed = 0;
  double connect_s = 0, loadgen_total_cpu_s = 0, server_cpu_s = 0;
  std::string first_failure;
  RelayResult relay;
};

Round relay_round(const PhaseServer& server, const PeerOptions& options,
                  const RelaySettings& settings, const char* label) {
  const std::vector<DeviceCredentials>& devices = server.devices;
  Round round;
  const double cpu0 = self_cpu_seconds();
  const std::size_t count = std::min(options.relay_clients, devices.size());
  EventLoop loop;
  std::vector<std::unique_ptr<DeviceLink>> links;
  for (std::size_t i = 0; i < count; ++i) {
    links.push_back(std::make_unique<DeviceLink>(loop, *server.tls, server.address, devices[i], i));
    links.back()->acknowledge_queued_envelopes();
  }
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(options.phase_limit_s * 1000));
  const ConnectOutcome outcome =
      connect_links(loop, links, 0, count, relay_logins_in_flight, deadline);
  round.connected = outcome.ready;
  round.failed = outcome.failed;
  round.connect_s = outcome.seconds;
  round.first_failure = outcome.first_failure;
  if (outcome.failed == 0) {
    const pid_t pid = server.process->pid();
    const double server0 = process_cpu_seconds(pid).value_or(0);
    round.relay = run_relay(loop, links, settings, label);
    round.server_cpu_s = process_cpu_seconds(pid).value_or(0) - server0;
  }
  // The last acknowledgements reach the server before the connections close.
  const auto linger = Clock::now() + std::chrono::milliseconds(300);
  while (Clock::now() < linger) loop.poll(std::chrono::milliseconds(10));
  round.loadgen_total_cpu_s = self_cpu_seconds() - cpu0;
  return round;
}

double per_message(double total, std::uint64_t count, double scale) {
  return count > 0 ? scale * total / static_cast<double>(count) : -1;
}

void add_relay_keys(PeerReport& report, const PeerOptions& options, const Round& round) {
  const RelayResult& r = round.relay;
  report.add_count("relay_clients", options.relay_clients);
  report.add_count("relay_connected", round.connected);
  report.add_count("relay_conn_failed", round.failed);
  report.add("relay_connect_s", round.connect_s, 3);
  report.add_count("relay_msgs_per_client", options.relay_msgs);
  report.add_count("relay_window", options.relay_window);
  report.add_count("relay_body_bytes", options.body_bytes);
  report.add_count("relay_sent", r.sent);
  report.add_count("relay_delivered", r.delivered);
  report.add_count("relay_lost", r.sent - std::min(r.sent, r.delivered));
  report.add_count("relay_error_stanzas", r.errors);
  report.add_count("relay_misrouted", r.misrouted);
  report.add_count("relay_bad_body", r.bad_body);
  report.add("relay_duration_s", r.duration_s, 3);
  report.add("relay_msgs_per_s",
             r.duration_s > 0 ? static_cast<double>(r.delivered) / r.duration_s : 0, 0);
  report.add("relay_lat_p50_ms", r.latencies.percentile_ms(0.5), 3);
  report.add("relay_lat_p90_ms", r.latencies.percentile_ms(0.9), 3);
  report.add("relay_lat_p99_ms", r.latencies.percentile_ms(0.99), 3);
  report.add("relay_lat_max_ms", r.latencies.max_ms(), 3);
  report.add("relay_loadgen_total_cpu_s", round.loadgen_total_cpu_s, 3);
  report.add("relay_loadgen_cpu_s", r.loadgen_cpu_s, 3);
  report.add("relay_loadgen_cpu_us_per_msg", per_message(r.loadgen_cpu_s, r.delivered, 1e6), 2);
  report.add("relay_server_cpu_s", round.server_cpu_s, 3);
  report.add("relay_server_cpu_util_pct", r.wall_s > 0 ? 100.0 * round.server_cpu_s / r.wall_s : 0,
             1);
  report.add("relay_server_cpu_us_per_msg", per_message(round.server_cpu_s, r.delivered, 1e6), 2);
  // Bulwark's own: what the server acknowledged (after the durable commit), and wire bytes
  // per message (WebSocket frames; TLS adds its record overhead on top with --tls).
  report.add_count("relay_server_acked", r.acked_by_server);
  report.add_count("relay_lost_connections", r.lost_connections);
  report.add("relay_wire_send_bytes_per_msg",
             per_message(static_cast<double>(r.send_bytes), r.sent, 1), 1);
  report.add("relay_wire_push_bytes_per_msg",
             per_message(static_cast<double>(r.push_bytes), r.delivered, 1), 1);
  report.add("relay_wire_response_bytes_per_msg",
             per_message(static_cast<double>(r.response_bytes), r.sent, 1), 1);
  report.add("relay_wire_ack_bytes_per_msg",
             per_message(static_cast<double>(r.ack_bytes), r.delivered, 1), 1);
  if (round.failed > 0) report.add("relay_first_failure", "\"" + round.first_failure + "\"");
}

// The subset xmpp_bench.sh keeps for relay_w1.
void add_w1_keys(PeerReport& report, const Round& round) {
  const RelayResult& r = round.relay;
  report.add("relay_w1_msgs_per_s",
             r.duration_s > 0 ? static_cast<double>(r.delivered) / r.duration_s : 0, 0);
  report.add("relay_w1_lat_p50_ms", r.latencies.percentile_ms(0.5), 3);
  report.add("relay_w1_lat_p90_ms", r.latencies.percentile_ms(0.9), 3);
  report.add("relay_w1_lat_p99_ms", r.latencies.percentile_ms(0.99), 3);
  report.add("relay_w1_lat_max_ms", r.latencies.max_ms(), 3);
  report.add_count("relay_w1_lost", r.sent - std::min(r.sent, r.delivered));
  report.add("relay_w1_server_cpu_us_per_msg", per_message(round.server_cpu_s, r.delivered, 1e6),
             2);
}

RelaySettings relay_settings(const PeerOptions& options, std::size_t msgs, std::size_t window,
                             std::uint64_t seed) {
  RelaySettings settings;
  settings.msgs = msgs;
  settings.window = window;
  settings.body_bytes = options.body_bytes;
  settings.seed = seed;
  settings.relay_limit_s = std::max(1.0, options.phase_limit_s - 15);
  settings.drain_s = options.drain_s;
  settings.coalesce_us = options.coalesce_us;
  settings.franking = options.franking;
  return settings;
}

}  // namespace

bool run_relay_phases(const PeerOptions& options, const std::filesystem::path& work_dir,
                      PeerReport& report, double& server_cpu_s) {
  auto server = start_phase_server(options, work_dir, "relay", options.relay_clients);
  if (!server) return false;
  std::this_thread::sleep_for(std::chrono::seconds(2));  // settle after the registrations
  const pid_t pid = server->process->pid();
  if (options.warmup_msgs > 0) {
    (void)relay_round(*server, options,
                      relay_settings(options, options.warmup_msgs, options.relay_window, 1),
                      "warm-up");
  }
  // The disk's sync latency right now: every send waits for a commit's fdatasync, so on a
  // shared disk it bounds msgs/s whatever the server's CPU (relay_server_cpu_util_pct < 100).
  const LatencyHistogram syncs = probe_fsync(server->process->work_dir(), 100);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double cpu2 = process_cpu_seconds(pid).value_or(0);
  const Round relay = relay_round(
      *server, options,
      relay_settings(options, options.relay_msgs, options.relay_window, options.seed), "relay");
  add_relay_keys(report, options, relay);
  report.add("disk_fdatasync_p50_ms", static_cast<double>(syncs.percentile(0.5)) / 1e6, 3);
  report.add("disk_fdatasync_p99_ms", static_cast<double>(syncs.percentile(0.99)) / 1e6, 3);
  report.add_cdf("relay", relay.relay.latencies.cdf(201));
  const double cpu3 = process_cpu_seconds(pid).value_or(0);
  report.add("server_cpu_relay_phase_s", cpu3 - cpu2, 3);
  report.add_count("server_rss_after_relay_kb", process_rss_kib(pid).value_or(0));
  report.print_new();
  double cpu4 = cpu3;
  if (options.relay_w1_msgs > 0) {
    const Round w1 =
        relay_round(*server, options,
                    relay_settings(options, options.relay_w1_msgs, 1, options.seed), "relay_w1");
    add_w1_keys(report, w1);
    report.add_cdf("relay_w1", w1.relay.latencies.cdf(201));
    cpu4 = process_cpu_seconds(pid).value_or(0);
    report.add("server_cpu_relay_w1_phase_s", cpu4 - cpu3, 3);
  }
  server_cpu_s = cpu4 - cpu2;
  server->process->stop();
  return relay.failed == 0;
}

}  // namespace bulwark::loadgen::peer
