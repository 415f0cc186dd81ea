// Traffic: messages between S sender devices and S recipient devices (pair i: sender i ->
// recipient i, each its own one-device account and its own authenticated connection).
//
// A message is delivered end to end, with persistence, when BOTH the sender got its OK (sent
// by the server only after the envelope's commit) AND the recipient got the Envelope push;
// the recipient acknowledges every envelope (the server then deletes it), coalescing the ids
// it got in one read pass into one Ack frame, as a client would.
//
// Each envelope's 256-byte content is random except a 24-byte header (run id, pair, sequence
// number, intended send time), which is how the recipient side finds the message's timing.
//
//  * run_closed: each sender keeps `window` messages in flight and sends the next as soon as
//    one completes: the saturation throughput, counted over a window after a warm-up.
//  * run_open: a fixed schedule at `rate` msgs/s over all pairs (message k intended at
//    t0 + k/rate, from sender k mod S), sent whether or not earlier ones completed; latency is
//    push time minus INTENDED send time, so a stall of server or generator is charged to every
//    message it delayed (no coordinated omission).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api_frames.h"
#include "device_link.h"
#include "histogram.h"
#include "window_cost.h"

namespace bulwark::loadgen {

struct ClosedLoopResult {
  WindowCost cost;
  std::uint64_t completed = 0;  // in the measured window
  LatencyHistogram latency;     // send -> push, messages completed in the window
  std::uint64_t errors = 0;     // non-OK answers to sends (whole run)
  std::string first_error;
  std::uint64_t unfinished = 0;  // still in flight after the drain
  std::size_t lost_links = 0;
  std::string lost_reason;  // the first lost connection's
};

struct OpenLoopResult {
  double rate = 0;  // target, msgs/s
  WindowCost cost;
  std::uint64_t measured = 0;       // messages intended inside the measured window
  std::uint64_t delivered = 0;      // ... of which pushed and OK'd
  LatencyHistogram latency;         // push time - intended send time
  LatencyHistogram commit_latency;  // sender's OK time - intended send time
  std::uint64_t errors = 0;
  std::string first_error;
  LatencyHistogram send_lag;  // how late the generator sent relative to the schedule
  std::size_t lost_links = 0;
  std::string lost_reason;  // the first lost connection's
};

class Traffic final : public LinkListener {
 public:
  // links[0, S) are the senders, links[S, 2S) the recipients, all ready.
  // `server_cpu` is the CPU the server is pinned to (its busy time is sampled).
  Traffic(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links, std::size_t pairs,
          std::size_t content_bytes, pid_t server_pid, int server_cpu);
  ~Traffic() override;

  // Whether sends carry a franking tag for the server to stamp (they do by default).
  void set_franking(bool on);

  ClosedLoopResult run_closed(std::size_t window, double warmup_seconds, double seconds);
  OpenLoopResult run_open(double rate, double warmup_seconds, double seconds);

  void on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point at) override;
  void on_lost(DeviceLink& link, std::string_view reason) override;

 private:
  struct InFlight {
    std::uint64_t seq;
    Clock::time_point intended;
    bool ok = false;
    bool pushed = false;
  };
  struct Pair;
  struct Run;

  void send(std::size_t pair, Clock::time_point intended);
  void on_response(std::size_t pair, const api::Response& response, Clock::time_point at);
  void on_envelope(std::size_t pair, const api::Envelope& envelope, Clock::time_point at);
  void complete(std::size_t pair, std::size_t slot, Clock::time_point at);
  void flush_acks();
  void drain(Clock::time_point deadline);
  [[nodiscard]] std::uint64_t in_flight() const;

  EventLoop& loop_;
  std::vector<std::unique_ptr<DeviceLink>>& links_;
  std::size_t pairs_;
  pid_t server_pid_;
  int server_cpu_;
  std::vector<std::unique_ptr<Pair>> pair_state_;
  std::vector<std::size_t> dirty_acks_;
  std::unique_ptr<Run> run_;
  std::uint32_t run_id_ = 0;
  std::string scratch_;
  std::string lost_reason_;
  std::size_t lost_links_ = 0;
};

}  // namespace bulwark::loadgen
