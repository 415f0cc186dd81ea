#include "server/metrics.h"

#include <string_view>

namespace bulwark::server {
namespace {

void add(std::string& out, std::string_view name, std::string_view type, std::string_view help,
         std::uint64_t value) {
  out.append("# HELP bulwark_").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE bulwark_").append(name).append(" ").append(type).append("\n");
  out.append("bulwark_").append(name).append(" ").append(std::to_string(value)).append("\n");
}

void add_bus(std::string& out, const BusCounters& bus) {
  add(out, "bus_published_device_total", "counter",
      "pushes published for a device on another node", bus.published_device.load());
  add(out, "bus_published_channel_total", "counter", "channel posts published (once per post)",
      bus.published_channel.load());
  add(out, "bus_published_displace_total", "counter", "device arrivals announced to other nodes",
      bus.published_displace.load());
  add(out, "bus_received_device_total", "counter", "pushes from other nodes for devices here",
      bus.received_device.load());
  add(out, "bus_received_channel_total", "counter", "channel posts from other nodes",
      bus.received_channel.load());
  add(out, "bus_published_control_total", "counter",
      "requests sent for a device on another node (channel interest, re-registration)",
      bus.published_control.load());
  add(out, "bus_received_control_total", "counter", "requests from other nodes for devices here",
      bus.received_control.load());
  add(out, "bus_displaced_total", "counter",
      "connections closed: their device moved to another node", bus.displaced_here.load());
  add(out, "bus_dropped_malformed_total", "counter", "bus messages dropped as malformed",
      bus.dropped_malformed.load());
  add(out, "bus_dropped_publish_total", "counter", "publishes dropped (NATS away, buffer full)",
      bus.dropped_publish.load());
  add(out, "bus_slow_consumer_total", "counter",
      "times NATS dropped messages for a full subscription", bus.dropped_slow.load());
  add(out, "bus_dropped_encode_total", "counter", "pushes too large for the bus",
      bus.dropped_encode.load());
  add(out, "bus_subscriptions", "gauge", "NATS subscriptions (devices and channels here)",
      bus.subscriptions.load());
  add(out, "bus_reconnects_total", "counter", "reconnections to NATS", bus.reconnects.load());
  add(out, "bus_unconfirmed_total", "counter",
      "sessions that read their queue before NATS confirmed their subscription",
      bus.unconfirmed.load());
}

}  // namespace

void Metrics::observe_loop_lag(double seconds) {
  std::lock_guard lock(loop_lag_mutex_);
  loop_lag_.observe(seconds);
}

DurationHistogram Metrics::loop_lag() const {
  std::lock_guard lock(loop_lag_mutex_);
  return loop_lag_;
}

std::string Metrics::render(const Gauges& gauges) const {
  std::string out;
  out.reserve(4096);
  add(out, "connections_accepted_total", "counter", "TCP connections accepted",
      connections_accepted.load());
  add(out, "connections_open", "gauge", "connections open now", connections_open.load());
  add(out, "connections_authenticated_total", "counter", "device authentications that passed",
      connections_authenticated.load());
  add(out, "frames_received_total", "counter", "WebSocket frames received", frames_received.load());
  add(out, "frames_malformed_total", "counter", "frames that did not decode",
      frames_malformed.load());
  add(out, "requests_rate_limited_total", "counter", "requests refused by a rate limit",
      requests_rate_limited.load());
  add(out, "verification_codes_sent_total", "counter", "verification codes delivered",
      codes_sent.load());
  add(out, "registrations_total", "counter", "accounts registered or re-registered",
      registrations.load());
  add(out, "auth_failures_total", "counter", "device authentications that failed",
      auth_failures.load());
  add(out, "messages_accepted_total", "counter", "sends acknowledged after commit",
      messages_accepted.load());
  add(out, "channel_entries_accepted_total", "counter", "channel entries stored",
      channel_entries_accepted.load());
  add(out, "channel_pushes_total", "counter", "channel entries pushed to online subscribers",
      channel_pushes.load());
  add(out, "channel_entries_refused_total", "counter",
      "channel entries refused (signature, signer or seq)", channel_entries_refused.load());
  add(out, "message_reports_verified_total", "counter",
      "abuse reports from encrypted chats whose proof held (queued for moderators)",
      message_reports_verified.load());
  add(out, "message_reports_forged_total", "counter",
      "abuse reports refused: a message did not open its tag or a stamp was not for it",
      message_reports_forged.load());
  add(out, "message_reports_expired_total", "counter",
      "abuse reports refused: the stamping key was destroyed after the reportable window",
      message_reports_expired.load());
  add(out, "franking_stamps_total", "counter", "franking tags stamped as their envelopes left",
      franking_stamps.load());
  add(out, "franking_stamp_batches_total", "counter",
      "signed batches of franking stamps (one Ed25519 signature each)",
      franking_stamp_batches.load());
  add(out, "message_reports_malformed_total", "counter", "abuse reports that did not decode",
      message_reports_malformed.load());
  add(out, "moderation_reports_total", "counter", "content reports accepted",
      moderation_reports.load());
  add(out, "moderation_cases_total", "counter", "moderation cases opened (reports and rules)",
      moderation_cases.load());
  add(out, "moderation_actions_total", "counter", "signed moderator actions logged",
      moderation_actions.load());
  add(out, "moderation_rule_hides_total", "counter", "posts hidden at once by a policy rule",
      moderation_rule_hides.load());
  add(out, "moderation_appeals_total", "counter", "appeals filed", moderation_appeals.load());
  add(out, "moderation_admin_refused_total", "counter",
      "moderator requests refused (signature, key, clock or body)",
      moderation_admin_refused.load());
  add(out, "group_commits_total", "counter", "MLS commits queued (each advanced its group's epoch)",
      group_commits.load());
  add(out, "group_messages_total", "counter", "MLS application messages and proposals queued",
      group_messages.load());
  add(out, "group_sends_stale_total", "counter",
      "group sends refused because the group had moved to another epoch (CONFLICT)",
      group_sends_stale.load());
  add(out, "group_sends_forbidden_total", "counter",
      "group sends refused because the epoch token did not match (FORBIDDEN)",
      group_sends_forbidden.load());
  add(out, "envelopes_stored_total", "counter", "envelopes made durable", envelopes_stored.load());
  add(out, "sends_refused_device_list_total", "counter",
      "sends answered with missing, extra or re-registered devices (the client retries)",
      sends_refused_device_list.load());
  add(out, "envelopes_pushed_total", "counter", "envelopes pushed to devices",
      envelopes_pushed.load());
  add(out, "live_pushes_out_of_order_total", "counter",
      "live pushes that arrived before an earlier queue position of their device",
      live_pushes_out_of_order.load());
  add(out, "queue_reads_for_gap_total", "counter",
      "queue reads started because a live push found an earlier position missing",
      queue_reads_for_gap.load());
  add(out, "live_pushes_reordered_total", "counter",
      "out-of-order live pushes delivered from the hold, in order, once the positions before "
      "them were pushed (by a live push or a queue read)",
      live_pushes_reordered.load());
  add(out, "envelopes_acked_total", "counter", "envelopes acknowledged by their device (then deleted)",
      envelopes_acked.load());
  add(out, "envelopes_expired_total", "counter", "envelopes deleted unread after retention",
      envelopes_expired.load());
  add(out, "store_unavailable_total", "counter", "requests refused because the store queue was full",
      store_unavailable.load());
  add(out, "slow_consumers_closed_total", "counter", "connections closed for a full write queue",
      slow_consumers_closed.load());
  add(out, "store_queue_jobs", "gauge", "store jobs waiting", gauges.store_queue);
  add(out, "store_batches_total", "counter", "store transactions committed", gauges.store_batches);
  add(out, "store_jobs_total", "counter", "store jobs run", gauges.store_jobs);
  gauges.store_batch_durations.render(out, "store_batch_seconds",
                                      "store transactions by duration, jobs and commit (no sync)");
  gauges.store_sync_durations.render(out, "store_sync_seconds",
                                     "syncs making store commits durable, by duration");
  add(out, "store_failed", "gauge", "1 once a store sync failed: writes refused until restart",
      gauges.store_failed ? 1 : 0);
  gauges.store_queue_waits.render(out, "store_queue_wait_seconds",
                                  "how long the oldest job of each store transaction waited for it");
  loop_lag().render(out, "io_loop_lag_seconds",
                    "how late the I/O loop ran a timer due every 10 ms");
  add(out, "online_devices", "gauge", "devices with an authenticated connection",
      gauges.online_devices);
  if (gauges.bus != nullptr) add_bus(out, *gauges.bus);
  return out;
}

}  // namespace bulwark::server
