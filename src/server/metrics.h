// Metrics: the server's counters, rendered in the Prometheus text format at /metrics. Only
// counts and sizes: no account, phone, address or content ever appears here.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "server/bus/bus_counters.h"
#include "server/duration_histogram.h"

namespace bulwark::server {

struct Metrics {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> connections_authenticated{0};
  std::atomic<std::uint64_t> frames_received{0};
  std::atomic<std::uint64_t> frames_malformed{0};
  std::atomic<std::uint64_t> requests_rate_limited{0};
  std::atomic<std::uint64_t> codes_sent{0};
  std::atomic<std::uint64_t> registrations{0};
  std::atomic<std::uint64_t> auth_failures{0};
  std::atomic<std::uint64_t> messages_accepted{0};   // sends acknowledged (after commit)
  std::atomic<std::uint64_t> envelopes_stored{0};
  // Sends answered MISMATCHED_DEVICES or STALE_DEVICES: the client's device list (or a
  // device's registration id) was out of date, and it retries.
  std::atomic<std::uint64_t> sends_refused_device_list{0};
  std::atomic<std::uint64_t> envelopes_pushed{0};
  // Live pushes that arrived ahead of an earlier queue position (on a cluster, the other node's
  // push and a local commit race), and the queue reads they cost when the missing one did not
  // follow in time: each read is a store round trip added to delivery.
  std::atomic<std::uint64_t> live_pushes_out_of_order{0};
  std::atomic<std::uint64_t> queue_reads_for_gap{0};
  // Held out-of-order pushes delivered from the hold once the positions before them were
  // pushed, mostly by the missing live push (before the queue read answered), else by the read.
  std::atomic<std::uint64_t> live_pushes_reordered{0};
  std::atomic<std::uint64_t> envelopes_acked{0};
  std::atomic<std::uint64_t> envelopes_expired{0};
  std::atomic<std::uint64_t> store_unavailable{0};    // store queue full
  std::atomic<std::uint64_t> slow_consumers_closed{0};
  std::atomic<std::uint64_t> channel_entries_accepted{0};  // channel posts, edits, ... (after commit)
  std::atomic<std::uint64_t> channel_pushes{0};            // pushes queued to online subscribers
  std::atomic<std::uint64_t> channel_entries_refused{0};   // bad signature, signer or seq
  // Abuse reports from encrypted chats (docs/FRANKING.md).
  std::atomic<std::uint64_t> message_reports_verified{0};  // proof held: queued for moderators
  std::atomic<std::uint64_t> message_reports_forged{0};    // proof failed: altered, wrong sender...
  std::atomic<std::uint64_t> message_reports_expired{0};   // stamping key destroyed: unprovable
  std::atomic<std::uint64_t> message_reports_malformed{0};
  // Franking stamps made as envelopes leave, and the signed batches they came in: stamps per
  // batch is what the signature costs each message.
  std::atomic<std::uint64_t> franking_stamps{0};
  std::atomic<std::uint64_t> franking_stamp_batches{0};
  // Public-content moderation (docs/MODERATION.md): reports accepted, cases opened (by reports
  // or rules), moderator actions logged, posts hidden by a rule, appeals filed.
  std::atomic<std::uint64_t> moderation_reports{0};
  std::atomic<std::uint64_t> moderation_cases{0};
  std::atomic<std::uint64_t> moderation_actions{0};
  std::atomic<std::uint64_t> moderation_rule_hides{0};
  std::atomic<std::uint64_t> moderation_appeals{0};
  std::atomic<std::uint64_t> moderation_admin_refused{0};  // bad signature, key, clock or body
  // MLS groups (docs/GROUPS.md): commits and messages queued (after commit), sends that named
  // an epoch the group had left (CONFLICT: the sender catches up and retries) and sends whose
  // epoch token did not match (FORBIDDEN: not a member of the epoch, or a broken client).
  std::atomic<std::uint64_t> group_commits{0};
  std::atomic<std::uint64_t> group_messages{0};
  std::atomic<std::uint64_t> group_sends_stale{0};
  std::atomic<std::uint64_t> group_sends_forbidden{0};

  // Gauges read at render time (store queue depth, online devices...).
  struct Gauges {
    std::uint64_t store_queue = 0;
    std::uint64_t store_batches = 0;
    std::uint64_t store_jobs = 0;
    std::uint64_t online_devices = 0;
    DurationHistogram store_batch_durations;
    DurationHistogram store_queue_waits;
    DurationHistogram store_sync_durations;
    bool store_failed = false;
    const BusCounters* bus = nullptr;  // cluster mode only: what crossed the bus, and drops
  };
  [[nodiscard]] std::string render(const Gauges& gauges) const;

  // How late the I/O loop ran a timer due every few milliseconds: time in which no connection
  // was served. Long lags with little store time are the CPU (this server's or the host's).
  void observe_loop_lag(double seconds);
  [[nodiscard]] DurationHistogram loop_lag() const;

 private:
  mutable std::mutex loop_lag_mutex_;
  DurationHistogram loop_lag_;
};

}  // namespace bulwark::server
