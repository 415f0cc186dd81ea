// The fan-out phase: the owner posts, one post at a time, to a channel every subscriber link
// subscribes to, and each post is timed from the owner's send of the append to the first, the
// median and the LAST subscriber receiving its push, and to the owner's ChannelAppendResult
// (sent once the post is stored). The next post goes out `gap` after the last subscriber got
// the previous one (or after the post's timeout), so each post's fan-out is timed alone.
//
// Receive times are the kernel's (WsClient::use_kernel_receive_times): when the push reached
// the subscriber's socket. This one generator reads 19,000 sockets in turn on one CPU, which
// a subscriber's own device would not; the time it parsed the last push is reported beside.
//
// Every subscriber must get every post exactly once, with the entry's bytes unchanged: misses
// (not there by the timeout), duplicates, late ones (after the timeout) and altered ones are
// counted. Cost: the server's utime + stime (/proc/PID/stat) over the whole phase, and its
// on-CPU time (schedstat) summed over the posts' fan-outs alone.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "histogram.h"
#include "setup.h"
#include "window_cost.h"

namespace bulwark::bench_channel {

struct FanOutResult {
  std::size_t subscribers = 0;
  std::size_t posts = 0;  // sent; fewer than asked when one was refused (the run stops there)
  std::size_t post_bytes = 0;
  std::size_t entry_bytes = 0;   // the signed entry each push carries
  std::uint64_t deliveries = 0;  // pushes received, once each, in time and unaltered
  std::uint64_t missed = 0, duplicates = 0, late = 0, altered = 0;
  std::uint64_t before_ok = 0;  // pushes that reached a subscriber before the owner's OK did
  std::uint64_t refused = 0;    // appends not accepted
  std::string first_error;
  std::size_t lost_links = 0;
  std::string lost_reason;
  // Per post (one value each), nanoseconds, from the owner's send of the append: the figures
  // include checking and storing the post (the OK, sent once it is stored, comes ~3 ms later).
  loadgen::LatencyHistogram ok;                   // send -> owner's ChannelAppendResult
  loadgen::LatencyHistogram first, median, last;  // send -> that subscriber's push
  loadgen::LatencyHistogram spread;               // first push -> last push
  loadgen::LatencyHistogram last_after_ok;        // OK -> last push (0 when the OK came later)
  loadgen::LatencyHistogram ok_after_last;        // last push -> OK (0 when the OK came first)
  loadgen::LatencyHistogram last_parsed;          // send -> this generator parsed the last push
  loadgen::LatencyHistogram every;                // send -> each push (all deliveries)
  loadgen::WindowCost cost;                       // the whole phase, gaps included
  double server_fanout_cpu_seconds = 0;           // schedstat, send -> last push, summed
  double fanout_wall_seconds = 0;                 // send -> last push, summed

  [[nodiscard]] double deliveries_per_server_cpu_second() const {
    return cost.server_cpu_seconds > 0 ? static_cast<double>(deliveries) / cost.server_cpu_seconds
                                       : 0;
  }
};

class FanOut final : public loadgen::LinkListener {
 public:
  // The owner link and every subscriber link of `setup` must be ready and subscribed.
  FanOut(Setup& setup, const OwnedChannel& channel, pid_t server_pid, int server_cpu);
  ~FanOut() override;
  FanOut(const FanOut&) = delete;
  FanOut& operator=(const FanOut&) = delete;

  // Posts seq first_seq, first_seq + 1, ... (the channel's next seqs).
  FanOutResult run(std::uint64_t first_seq, std::size_t posts, std::size_t post_bytes,
                   Clock::duration gap, Clock::duration timeout);

  void on_frame(loadgen::DeviceLink& link, const api::Frame& frame, Clock::time_point at) override;
  void on_lost(loadgen::DeviceLink& link, std::string_view reason) override;

 private:
  struct Post;
  void post_one(std::uint64_t seq, std::size_t post_bytes, Clock::duration timeout);
  void on_push(std::size_t subscriber, const api::ChannelPush& push, Clock::time_point at);
  void on_answer(const api::Response& response, Clock::time_point at);
  void settle(Clock::duration gap);
  void record_post(const Post& post);

  Setup& setup_;
  const OwnedChannel& channel_;
  std::string channel_id_;
  pid_t server_pid_;
  int server_cpu_;
  std::unique_ptr<Post> post_;
  std::vector<std::uint8_t> got_;  // per subscriber: pushes of the current post
  std::vector<Clock::time_point> arrived_, parsed_;
  std::size_t lost_subscribers_ = 0;  // over every run
  FanOutResult result_;
};

}  // namespace bulwark::bench_channel
