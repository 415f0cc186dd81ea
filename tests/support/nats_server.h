// NatsServer: a real nats-server (Debian's /usr/sbin/nats-server) for one test, on 127.0.0.1 and a
// free port, in its own temporary directory (its log goes there). The object owns exactly one
// process and kills only that pid: the destructor SIGKILLs and reaps it, PR_SET_PDEATHSIG kills
// it if the test process dies first. stop() / start() restart it on the same port (the
// bus tests' "NATS restarted" case). With `monitoring`, its HTTP monitoring endpoint (/connz,
// /subsz) listens on 127.0.0.1:monitor_port() too, so that a test can see which subscriptions
// the server holds. Failures throw std::runtime_error.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace bulwark::testing {

class NatsServer {
 public:
  // Starts the server and returns once it accepts TCP connections.
  explicit NatsServer(bool monitoring = false);
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // SIGKILL (no goodbye to the clients, as a crash) and reap.
  void stop();
  // Starts it again on the same port; returns once it accepts.
  void start();
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // 0 unless started with monitoring.
  [[nodiscard]] std::uint16_t monitor_port() const noexcept { return monitor_port_; }
  [[nodiscard]] std::string url() const;

 private:
  void wait_until_accepting(std::chrono::milliseconds timeout) const;

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::uint16_t monitor_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace bulwark::testing
