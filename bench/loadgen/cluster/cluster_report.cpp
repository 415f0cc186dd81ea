#include "cluster/cluster_report.h"

#include <algorithm>
#include <string>

namespace bulwark::loadgen::cluster {
namespace {

double per_message(double total, std::uint64_t count, double scale) {
  return count > 0 ? scale * total / static_cast<double>(count) : -1;
}

double rate(const peer::RelayResult& relay) {
  return relay.duration_s > 0 ? static_cast<double>(relay.delivered) / relay.duration_s : 0;
}

// The sum over nodes of a counter's growth during the round.
double bus_delta(const ClusterRound& round, const std::string& name) {
  double total = 0;
  for (std::size_t i = 0; i < round.metrics_after.size() && i < round.metrics_before.size(); ++i)
    total += metric_delta(round.metrics_before[i], round.metrics_after[i], name);
  return total;
}

void add_latency_keys(peer::PeerReport& report, const std::string& prefix,
                      const peer::Latencies& latencies) {
  report.add(prefix + "_p50_ms", latencies.percentile_ms(0.5), 3);
  report.add(prefix + "_p90_ms", latencies.percentile_ms(0.9), 3);
  report.add(prefix + "_p99_ms", latencies.percentile_ms(0.99), 3);
  report.add(prefix + "_max_ms", latencies.max_ms(), 3);
}

void add_delivery_keys(peer::PeerReport& report, const std::string& prefix,
                       const ClusterRound& round) {
  const peer::RelayResult& r = round.relay;
  report.add_count(prefix + "_connected", round.connected);
  report.add_count(prefix + "_conn_failed", round.failed);
  report.add(prefix + "_connect_s", round.connect_s, 3);
  report.add_count(prefix + "_sent", r.sent);
  report.add_count(prefix + "_delivered", r.delivered);
  report.add_count(prefix + "_lost", r.sent - std::min(r.sent, r.delivered));
  report.add_count(prefix + "_errors", r.errors);
  // Neither delivered nor refused: lost silently, the worse failure.
  report.add_count(prefix + "_unaccounted", r.sent - std::min(r.sent, r.delivered + r.errors));
  report.add_count(prefix + "_misrouted", r.misrouted);
  report.add_count(prefix + "_lost_connections", r.lost_connections);
  report.add(prefix + "_duration_s", r.duration_s, 3);
  report.add(prefix + "_msgs_per_s", rate(r), 0);
  if (round.failed > 0) report.add(prefix + "_first_failure", "\"" + round.first_failure + "\"");
  if (r.errors > 0) report.add(prefix + "_first_refusal", "\"" + r.first_error + "\"");
}

void add_cpu_keys(peer::PeerReport& report, const ClusterRound& round) {
  const peer::RelayResult& r = round.relay;
  double nodes_total = 0;
  for (std::size_t i = 0; i < round.node_cpu_s.size(); ++i) {
    const std::string name = "cluster_node" + std::to_string(i + 1);
    report.add(name + "_cpu_s", round.node_cpu_s[i], 3);
    report.add(name + "_cpu_util_pct", r.wall_s > 0 ? 100 * round.node_cpu_s[i] / r.wall_s : 0, 1);
    nodes_total += round.node_cpu_s[i];
  }
  report.add("cluster_server_cpu_us_per_msg", per_message(nodes_total, r.delivered, 1e6), 2);
  report.add("cluster_postgres_cpu_s", round.postgres_cpu_s, 3);
  report.add("cluster_postgres_cpu_us_per_msg", per_message(round.postgres_cpu_s, r.delivered, 1e6),
             2);
  report.add("cluster_nats_cpu_s", round.nats_cpu_s, 3);
  report.add("cluster_nats_cpu_us_per_msg", per_message(round.nats_cpu_s, r.delivered, 1e6), 2);
  report.add("cluster_loadgen_cpu_us_per_msg", per_message(r.loadgen_cpu_s, r.delivered, 1e6), 2);
}

// What crossed NATS, from the nodes' /metrics: every publish is one NATS message in and, with
// one subscriber, one out.
void add_bus_keys(peer::PeerReport& report, const ClusterRound& round) {
  if (round.metrics_after.empty()) return;
  const double pushes = bus_delta(round, "bus_published_device_total");
  const double published = pushes + bus_delta(round, "bus_published_channel_total") +
                           bus_delta(round, "bus_published_displace_total") +
                           bus_delta(round, "bus_published_control_total");
  report.add("cluster_bus_published_device", pushes, 0);
  report.add("cluster_bus_received_device", bus_delta(round, "bus_received_device_total"), 0);
  report.add("cluster_bus_published_total", published, 0);
  report.add("cluster_bus_dropped_publish", bus_delta(round, "bus_dropped_publish_total"), 0);
  report.add("cluster_bus_slow_consumer", bus_delta(round, "bus_slow_consumer_total"), 0);
  // Live pushes that overtook an earlier queue position, and the queue reads they caused.
  report.add("cluster_pushes_out_of_order", bus_delta(round, "live_pushes_out_of_order_total"), 0);
  report.add("cluster_queue_reads_for_gap", bus_delta(round, "queue_reads_for_gap_total"), 0);
  report.add("cluster_pushes_reordered", bus_delta(round, "live_pushes_reordered_total"), 0);
  report.add("cluster_nats_msgs_per_delivered", per_message(published, round.relay.delivered, 1),
             3);
  report.add("cluster_nats_msgs_per_cross_delivered",
             per_message(pushes, round.relay.cross_node.count(), 1), 3);
}

}  // namespace

void add_cluster_keys(peer::PeerReport& report, const ClusterOptions& options,
                      const ClusterRound& round) {
  report.add_count("cluster_clients", options.clients);
  report.add_count("cluster_msgs_per_client", options.msgs);
  report.add_count("cluster_window", 1);
  add_delivery_keys(report, "cluster", round);
  report.add_count("cluster_same_delivered", round.relay.same_node.count());
  report.add_count("cluster_cross_delivered", round.relay.cross_node.count());
  add_latency_keys(report, "cluster_lat", round.relay.latencies);
  add_latency_keys(report, "cluster_same_lat", round.relay.same_node);
  add_latency_keys(report, "cluster_cross_lat", round.relay.cross_node);
  add_cpu_keys(report, round);
  add_bus_keys(report, round);
}

void add_sqlite_keys(peer::PeerReport& report, const ClusterRound& round) {
  add_delivery_keys(report, "sqlite", round);
  add_latency_keys(report, "sqlite_lat", round.relay.latencies);
  const double cpu = round.node_cpu_s.empty() ? 0 : round.node_cpu_s.front();
  report.add("sqlite_server_cpu_us_per_msg", per_message(cpu, round.relay.delivered, 1e6), 2);
}

bool add_goal_keys(peer::PeerReport& report, const ClusterRound& cluster,
                   const ClusterRound* sqlite) {
  const peer::Latencies& same = cluster.relay.same_node;
  const peer::Latencies& cross = cluster.relay.cross_node;
  const bool measured = same.count() > 0 && cross.count() > 0;
  const double added_p50 = cross.percentile_ms(0.5) - same.percentile_ms(0.5);
  const double added_p99 = cross.percentile_ms(0.99) - same.percentile_ms(0.99);
  report.add("cluster_cross_added_p50_ms", measured ? added_p50 : -1, 3);
  report.add("cluster_cross_added_p99_ms", measured ? added_p99 : -1, 3);
  if (sqlite != nullptr && sqlite->relay.latencies.count() > 0 && same.count() > 0) {
    // What PostgreSQL (and sharing the cores with a second node) adds before any bus.
    report.add("cluster_store_added_p50_ms",
               same.percentile_ms(0.5) - sqlite->relay.latencies.percentile_ms(0.5), 3);
    report.add("cluster_store_added_p99_ms",
               same.percentile_ms(0.99) - sqlite->relay.latencies.percentile_ms(0.99), 3);
  }
  const bool p50_met = measured && added_p50 <= goal_added_p50_ms;
  const bool p99_met = measured && added_p99 <= goal_added_p99_ms;
  report.add("goal_cross_added_p50_le_1ms", p50_met ? "met" : "MISSED");
  report.add("goal_cross_added_p99_le_5ms", p99_met ? "met" : "MISSED");
  return p50_met && p99_met;
}

}  // namespace bulwark::loadgen::cluster
