// WitnessProcess: one bulwark-witness for one test, with its own key and state directory,
// following one log of one server: the KT log unless the test asks for the disclosure log
// (--log disclosure). keygen() makes the key and returns its cosigner vkey (for the server's
// --kt-witness); run_once() is `--once` (exit 0 cosigned, 5 refused/alarm, 1 other); start()
// runs the polling loop in the background until stop() or the destructor.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "support/process.h"

namespace bulwark::e2e {

// The server log a witness follows (bulwark-witness --log).
enum class WitnessedLog { kt, disclosure };

class WitnessProcess {
 public:
  WitnessProcess(std::filesystem::path dir, std::string name, WitnessedLog log = WitnessedLog::kt);
  ~WitnessProcess();
  WitnessProcess(const WitnessProcess&) = delete;
  WitnessProcess& operator=(const WitnessProcess&) = delete;

  // Creates the key file (once) and returns the cosigner vkey.
  [[nodiscard]] std::string keygen();
  // One round against the server at `port` (its log signed by `log_vkey`); the exit status.
  [[nodiscard]] ExitStatus run_once(std::uint16_t port, const std::string& log_vkey,
                                    const std::filesystem::path& ca_file);
  // The polling loop (every 50 ms) in the background.
  void start(std::uint16_t port, const std::string& log_vkey, const std::filesystem::path& ca_file);
  void stop();
  [[nodiscard]] std::string log_text() const;
  [[nodiscard]] std::string state_text() const;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  [[nodiscard]] std::vector<std::string> follow_args(std::uint16_t port, const std::string& log_vkey,
                                                     const std::filesystem::path& ca_file) const;
  std::filesystem::path dir_;
  std::string name_;
  WitnessedLog log_;
  int runs_ = 0;
  std::unique_ptr<Process> loop_;
};

// The server's checkpoint key, from its start-up log line ("signed by VKEY;").
[[nodiscard]] std::string log_vkey_from(const std::string& server_log);

}  // namespace bulwark::e2e
