// The catch-up phase. A subscriber that was offline while the channel grew by many posts
// comes back and pulls them by cursor (ChannelRead: entries with seq > after, at most `page`
// of them, and the server stops a page at about 512 KiB). With a window of 1 each read starts
// where the last page ended, as a client following the cursor does. With a window of W the
// range is cut into W slices, each followed by its own cursor, W reads in flight: a client that
// knows last_seq (ChannelInfo) can read ahead this way, since seqs are dense (a deleted entry
// keeps its seq).
//
// The rate is entries received per second of wall time, from the first read to the last
// page; every entry must arrive once, none resynced. The entries are NOT verified inside it:
// verify_rate() measures separately what checking their signatures costs a client.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "setup.h"

namespace bulwark::bench_channel {

struct FillResult {
  std::size_t appended = 0;
  std::size_t failed = 0;
  std::size_t not_sent = 0;  // left when `stop_sending` came
  std::string first_failure;
  double seconds = 0;
};

// Appends posts of seq first_seq .. first_seq + posts - 1 over the owner's link, `window`
// in flight (set-up: the log an offline subscriber will catch up on). Sends no append after
// `stop_sending`, and waits for those in flight.
[[nodiscard]] FillResult fill_log(Setup& setup, const OwnedChannel& channel,
                                  std::uint64_t first_seq, std::size_t posts,
                                  std::size_t post_bytes, std::size_t window,
                                  Clock::time_point stop_sending);

struct CatchupResult {
  std::size_t window = 1;
  std::uint64_t after = 0;     // the subscriber's cursor when it came back
  std::uint64_t last_seq = 0;  // the channel's, from ChannelInfo
  std::uint64_t entries = 0;   // distinct entries in (after, last_seq] received
  std::uint64_t duplicates = 0, out_of_range = 0, deleted = 0, resynced_pages = 0;
  std::size_t pages = 0;
  std::uint64_t entry_bytes = 0;
  double wall_seconds = 0;
  double server_cpu_seconds = 0;  // schedstat, every server thread
  double generator_cpu_seconds = 0;
  std::size_t failed_reads = 0;
  std::string first_failure;

  [[nodiscard]] std::uint64_t missing() const { return last_seq - after - entries; }
  [[nodiscard]] double posts_per_second() const {
    return wall_seconds > 0 ? static_cast<double>(entries) / wall_seconds : 0;
  }
};

// Reads (after, last_seq] of `channel` over `reader`. Keeps the bytes of the first
// `keep_count` entries in `kept` (for verify_rate).
[[nodiscard]] CatchupResult catch_up(Setup& setup, loadgen::DeviceLink& reader,
                                     const OwnedChannel& channel, std::uint64_t after,
                                     std::uint64_t last_seq, std::size_t page, std::size_t window,
                                     pid_t server_pid, std::vector<std::string>& kept,
                                     std::size_t keep_count);

// The answer to a cursor further behind than the server's resync window (ChannelRead after 0).
struct ResyncProbe {
  bool answered = false;
  bool resynced = false;
  std::size_t entries = 0;
  std::uint64_t first_seq = 0, last_seq = 0;
  std::string failure;
};
[[nodiscard]] ResyncProbe probe_resync(Setup& setup, loadgen::DeviceLink& reader,
                                       const OwnedChannel& channel, std::size_t page);

struct VerifyRate {
  std::size_t entries = 0;
  std::size_t failed = 0;  // decoding or signature failures (must be 0)
  double seconds = 0;      // this thread's CPU

  [[nodiscard]] double per_second() const {
    return seconds > 0 ? static_cast<double>(entries) / seconds : 0;
  }
};
// What a client pays to check what it pulled: decode_entry and channel::Authority::verify
// (Ed25519) for each of `entries`, the Authority built from the channel's CREATE entry.
[[nodiscard]] VerifyRate verify_rate(ByteView create_entry,
                                     const std::vector<std::string>& entries);

}  // namespace bulwark::bench_channel
