// The idle-connection phase: K authenticated TLS WebSocket connections that then say nothing,
// opened in equal steps; after each step (and a settle pause) the server's VmRSS, the kernel's
// TCP memory and the server's CPU time are sampled. KiB per idle connection is the slope of
// the server's RSS over the connection count (least squares over the steps, and end minus
// start).
//
// The connections are held by forked worker processes (one per RLIMIT_NOFILE's worth, usually
// one), each pinned where the generator is, driven over pipes: "open N" -> "ok READY FAILED
// REASON", "exit". The parent holds no sockets of its own during the phase.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "device.h"
#include "ws_client.h"

namespace bulwark::loadgen {

struct IdleSample {
  std::size_t connections = 0;
  std::uint64_t server_rss_kib = 0;
  std::uint64_t tcp_mem_pages = 0;  // /proc/net/sockstat, both ends of every connection
  std::uint64_t tcp_inuse = 0;
  double server_cpu_seconds = 0;  // cumulative
  double elapsed_seconds = 0;     // since the phase started
  // The generator's side of the same connections (its workers, OpenSSL directly on the socket
  // with released buffers): a reference point for what one TLS connection must cost.
  std::uint64_t generator_rss_kib = 0;
  double generator_cpu_seconds = 0;  // cumulative, workers only
};

struct IdleResult {
  std::size_t requested = 0;
  std::size_t workers = 0;
  std::size_t failed = 0;
  std::string first_failure;
  std::vector<IdleSample> samples;  // [0] before any connection
  std::uint64_t rss_after_close_kib = 0;
  double connect_seconds = 0;  // wall time spent opening (all steps)

  [[nodiscard]] double slope_kib_per_connection() const;       // least squares
  [[nodiscard]] double end_to_end_kib_per_connection() const;  // (last - first) / count
  [[nodiscard]] double generator_kib_per_connection() const;   // (last - first) / count
};

// Connects devices[0, count) in `steps` steps. Each worker holds at most `per_worker`.
IdleResult run_idle(const TlsClientContext& tls, const ServerAddress& server,
                    const std::vector<DeviceCredentials>& devices, std::size_t count,
                    std::size_t steps, std::size_t per_worker, pid_t server_pid);

}  // namespace bulwark::loadgen
