// bulwark-bench-channel's command line. The defaults are what `make bench` runs; every run is
// bounded by --time-limit (the server is killed when it is reached).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bulwark::bench_channel {

struct Options {
  std::string server_bin;  // default: next to this binary's build tree
  // Online subscribers, one account and one device each; 0: as many as RLIMIT_NOFILE leaves
  // room for in the server and in this process (about 19,000 here).
  std::size_t subscribers = 0;
  std::size_t posts = 100;          // fan-out: posts per round
  std::size_t post_bytes = 1024;    // text of each post (ASCII, so bytes = characters)
  double post_gap_ms = 20;          // after a post reached every subscriber, before the next
  double post_timeout_seconds = 5;  // a subscriber without the push by then missed it
  std::size_t catchup_posts = 100'000;
  std::size_t catchup_page = 1000;                 // ChannelRead limit
  std::vector<std::size_t> catchup_windows{1, 2};  // pages in flight; 1 = cursor by cursor
  std::size_t fill_window = 64;                    // appends in flight while filling the log
  unsigned fill_seconds = 180;          // the fill stops here; the catch-up reads what was stored
  std::size_t verify_entries = 20'000;  // entries the client-side verification rate uses
  std::size_t repeat = 3;
  unsigned server_threads = 1;
  int server_cpu = 0;
  int generator_cpu = 1;
  int nice = -20;
  bool generator_fifo = true;
  std::size_t registration_concurrency = 64;
  unsigned time_limit_seconds = 0;  // 0: 900 s of setup + 120 s per round
  std::string work_dir;             // default: a fresh /tmp/bulwark-bench-channel-XXXXXX
  bool keep_work_dir = false;
};

// Exits the process for --help or bad usage (CLI11's exit codes).
[[nodiscard]] Options parse_options(int argc, char** argv);

}  // namespace bulwark::bench_channel
