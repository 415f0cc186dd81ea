// ServerProcess: a fresh bulwark-server for one benchmark run. Its own data directory, a
// configuration file written here (rate limits raised: see write_config), verification codes
// to a file, pinned to one CPU (sched_setaffinity in the child, as `taskset -c CPU`), stderr
// to a log file. The destructor stops it (SIGTERM, then SIGKILL after 5 s) on every path.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace bulwark::loadgen {

// Far above anything a benchmark does, so that no limiter refuses a request: every
// connection comes from loopback, and the limits protect against abuse, which is not what
// the benchmarks measure. Maximum burst the config accepts, one token per millisecond.
inline constexpr const char* unthrottled_rate_limit = "{ burst = 1000000, refill_ms = 1 }";

struct ServerLaunch {
  std::filesystem::path binary;
  std::filesystem::path work_dir;  // holds data/, server.toml, codes.jsonl, server.log
  int cpu = 0;  // -1: not pinned (the peer comparison's placement, like ejabberd's)
  unsigned threads = 1;
  // Also serve plaintext WebSocket on a loopback port (config.h, plaintext_listen).
  bool plaintext = false;
  std::uint32_t max_connections = 19'000;
  std::string written_by = "bulwark-loadgen";  // named in the configuration file's header
  // More `key = value` lines for the [limits] table (a benchmark's own limits to raise).
  std::vector<std::string> extra_limits;
  // More TOML tables appended as they are (the cluster benchmark's [store] and [cluster]).
  std::string extra_config;
};

class ServerProcess {
 public:
  // Starts the server and waits (at most 30 s) for its "listening on" line.
  [[nodiscard]] static Result<std::unique_ptr<ServerProcess>> start(const ServerLaunch& launch);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The plaintext listener's port; 0 unless launched with `plaintext`.
  [[nodiscard]] std::uint16_t plaintext_port() const noexcept { return plaintext_port_; }
  [[nodiscard]] const std::filesystem::path& work_dir() const { return work_dir_; }
  [[nodiscard]] std::filesystem::path cert_file() const { return work_dir_ / "data/tls/cert.pem"; }
  [[nodiscard]] std::filesystem::path codes_file() const { return work_dir_ / "codes.jsonl"; }
  [[nodiscard]] std::filesystem::path config_file() const { return work_dir_ / "server.toml"; }
  [[nodiscard]] std::filesystem::path log_file() const { return work_dir_ / "server.log"; }
  [[nodiscard]] bool alive();
  // The last `lines` lines of the server's log, for failure reports.
  [[nodiscard]] std::string log_tail(std::size_t lines) const;
  // SIGTERM, up to 5 s for a clean stop, then SIGKILL. Returns how it ended.
  std::string stop();

 private:
  ServerProcess(pid_t pid, std::filesystem::path work_dir)
      : pid_(pid), work_dir_(std::move(work_dir)) {}
  Result<void> wait_for_port(bool plaintext);

  pid_t pid_;
  std::filesystem::path work_dir_;
  std::uint16_t port_ = 0;
  std::uint16_t plaintext_port_ = 0;
  bool reaped_ = false;
};

// The configuration the benchmark runs the server with (also printed in the report).
[[nodiscard]] std::string benchmark_config(const ServerLaunch& launch);

}  // namespace bulwark::loadgen
