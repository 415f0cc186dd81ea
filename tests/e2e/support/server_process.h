// ServerProcess: one bulwark-server for one test, in its own data directory, on a loopback port
// the kernel picks at the first start. Verification codes go to a file (the "file:" sender),
// which next_code() reads. restart() reuses the data directory AND the port (passed explicitly,
// since port 0 would pick a new one), so clients' saved settings stay valid.
//
// Each start logs to its own file (server-0.log, server-1.log, ...); log_text() is all of them.
// The destructor SIGKILLs a server still running (the tests stop it with SIGTERM themselves
// when the clean exit is what they check); kill() does the same on purpose, mid-test, to check
// what survives a crash. Failures throw std::runtime_error with the log tail.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "support/process.h"

namespace bulwark::e2e {

struct ServerOptions {
  std::optional<std::string> config_toml;  // written to server.toml and passed with --config
  std::string log_level = "info";
  int threads = 2;
};

class ServerProcess {
 public:
  static constexpr std::chrono::milliseconds start_timeout{20'000};
  static constexpr std::chrono::milliseconds stop_timeout{20'000};

  // Starts the server in `dir` (data in dir/server) and waits until /healthz answers.
  ServerProcess(const std::filesystem::path& dir, ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // SIGTERM, then waits for the exit; returns its status (a clean stop is exit code 0).
  ExitStatus stop();
  // SIGKILL: the server gets no chance to flush, close or answer anything. Waits for the exit
  // (reaps it) and returns its status; restart() then works on the same data and port.
  ExitStatus kill();
  // Starts again on the same data directory and port. Requires a stopped server.
  void restart();
  [[nodiscard]] bool running();

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "wss://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::filesystem::path data_dir() const { return dir_ / "server"; }
  [[nodiscard]] std::filesystem::path ca_file() const { return data_dir() / "tls" / "cert.pem"; }
  [[nodiscard]] std::filesystem::path codes_file() const { return dir_ / "codes.jsonl"; }
  [[nodiscard]] std::string log_text() const;

  // Waits for the next verification code sent to `phone` (E.164) after the ones already
  // returned for it, and returns it.
  [[nodiscard]] std::string next_code(const std::string& phone,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // All codes sent to `phone` so far, oldest first.
  [[nodiscard]] std::vector<std::string> codes_for(const std::string& phone) const;

  // GET /metrics, parsed: sample name -> value. Throws when the server does not answer.
  [[nodiscard]] std::map<std::string, double> metrics() const;
  [[nodiscard]] double metric(const std::string& name) const;
  // True when GET /healthz answers 200 "ok".
  [[nodiscard]] bool healthy() const;

 private:
  void start(const std::string& listen);
  [[noreturn]] void fail(const std::string& what) const;

  std::filesystem::path dir_;
  ServerOptions options_;
  std::uint16_t port_ = 0;
  int starts_ = 0;
  std::unique_ptr<Process> process_;
  std::map<std::string, std::size_t> codes_taken_;
};

}  // namespace bulwark::e2e
