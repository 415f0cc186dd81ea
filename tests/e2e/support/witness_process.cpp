#include "support/witness_process.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bulwark::e2e {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

WitnessProcess::WitnessProcess(fs::path dir, std::string name, WitnessedLog log)
    : dir_(std::move(dir)), name_(std::move(name)), log_(log) {
  fs::create_directories(dir_);
}

WitnessProcess::~WitnessProcess() = default;

std::string WitnessProcess::keygen() {
  SpawnOptions spawn;
  spawn.argv = {BULWARK_WITNESS_BIN, "keygen", "--name", name_, "--key-file",
                (dir_ / "witness.key").string()};
  spawn.env = child_environment(dir_);
  spawn.stdout_file = dir_ / "keygen.out";
  spawn.stderr_file = dir_ / "keygen.err";
  Process process(std::move(spawn));
  const auto status = process.wait_for(std::chrono::seconds(20));
  if (!status || !status->exited || status->code != 0) {
    throw std::runtime_error("bulwark-witness keygen failed: " + read_all(dir_ / "keygen.err"));
  }
  std::string vkey = read_all(dir_ / "keygen.out");
  while (!vkey.empty() && (vkey.back() == '\n' || vkey.back() == '\r')) vkey.pop_back();
  return vkey;
}

// The KT witness runs without --log, as deployments from before the option do.
std::vector<std::string> WitnessProcess::follow_args(std::uint16_t port, const std::string& log_vkey,
                                                     const fs::path& ca_file) const {
  std::vector<std::string> args = {BULWARK_WITNESS_BIN,
                                   "--server", "https://127.0.0.1:" + std::to_string(port),
                                   "--log-key", log_vkey,
                                   "--name", name_,
                                   "--key-file", (dir_ / "witness.key").string(),
                                   "--state-dir", (dir_ / "state").string(),
                                   "--tls-ca", ca_file.string()};
  if (log_ == WitnessedLog::disclosure) args.insert(args.end(), {"--log", "disclosure"});
  return args;
}

ExitStatus WitnessProcess::run_once(std::uint16_t port, const std::string& log_vkey,
                                    const fs::path& ca_file) {
  SpawnOptions spawn;
  spawn.argv = follow_args(port, log_vkey, ca_file);
  spawn.argv.push_back("--once");
  spawn.env = child_environment(dir_);
  spawn.stdout_file = dir_ / ("run-" + std::to_string(runs_) + ".out");
  spawn.stderr_file = dir_ / ("run-" + std::to_string(runs_) + ".log");
  ++runs_;
  Process process(std::move(spawn));
  const auto status = process.wait_for(std::chrono::seconds(60));
  if (!status) throw std::runtime_error("bulwark-witness --once did not exit: " + log_text());
  return *status;
}

void WitnessProcess::start(std::uint16_t port, const std::string& log_vkey,
                           const fs::path& ca_file) {
  SpawnOptions spawn;
  spawn.argv = follow_args(port, log_vkey, ca_file);
  spawn.argv.insert(spawn.argv.end(), {"--interval-ms", "50"});
  spawn.env = child_environment(dir_);
  spawn.stdout_file = dir_ / ("run-" + std::to_string(runs_) + ".out");
  spawn.stderr_file = dir_ / ("run-" + std::to_string(runs_) + ".log");
  ++runs_;
  loop_ = std::make_unique<Process>(std::move(spawn));
}

void WitnessProcess::stop() {
  if (!loop_) return;
  loop_->send_signal(SIGTERM);
  if (!loop_->wait_for(std::chrono::seconds(10))) loop_->kill_and_wait();
  loop_.reset();
}

std::string WitnessProcess::log_text() const {
  std::string all;
  for (int i = 0; i < runs_; ++i) all += read_all(dir_ / ("run-" + std::to_string(i) + ".log"));
  return all;
}

std::string WitnessProcess::state_text() const { return read_all(dir_ / "state" / "state"); }

std::string log_vkey_from(const std::string& server_log) {
  constexpr std::string_view marker = "signed by ";
  const auto at = server_log.find(marker);
  if (at == std::string::npos) throw std::runtime_error("the server log names no KT log key");
  const auto start = at + marker.size();
  const auto end = server_log.find(';', start);
  return server_log.substr(start, end - start);
}

}  // namespace bulwark::e2e
