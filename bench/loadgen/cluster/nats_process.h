// NatsProcess: the cluster benchmark's nats-server (Debian's), on 127.0.0.1 and a free port, its
// log in its own directory. A guarded child (child_guard.h): the run's time limit, Ctrl-C or the
// generator's death take it down too. The destructor stops it (SIGTERM, then SIGKILL) and
// reaps it; it only ever signals the pid it started.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"

namespace bulwark::loadgen::cluster {

class NatsProcess {
 public:
  // Starts nats-server with its log in `dir` and returns once it accepts TCP connections
  // (at most 30 s).
  [[nodiscard]] static Result<std::unique_ptr<NatsProcess>> start(const std::filesystem::path& dir);
  ~NatsProcess();
  NatsProcess(const NatsProcess&) = delete;
  NatsProcess& operator=(const NatsProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

 private:
  NatsProcess(pid_t pid, std::uint16_t port) : pid_(pid), port_(port) {}

  pid_t pid_;
  std::uint16_t port_;
};

}  // namespace bulwark::loadgen::cluster
