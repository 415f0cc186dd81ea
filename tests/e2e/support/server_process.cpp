#include "support/server_process.h"

#include <csignal>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/https_get.h"
#include "support/temp_dir.h"
#include "support/wait.h"

#ifndef BULWARK_SERVER_BIN
#error "BULWARK_SERVER_BIN must be the path of bulwark-server"
#endif

namespace bulwark::e2e {

namespace fs = std::filesystem;

namespace {

std::string tail(const std::string& text, std::size_t bytes = 4000) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

ServerProcess::ServerProcess(const fs::path& dir, ServerOptions options)
    : dir_(dir), options_(std::move(options)) {
  fs::create_directories(dir_);
  if (options_.config_toml) write_file(dir_ / "server.toml", *options_.config_toml);
  start("127.0.0.1:0");
}

ServerProcess::~ServerProcess() = default;

void ServerProcess::start(const std::string& listen) {
  SpawnOptions spawn;
  spawn.argv = {BULWARK_SERVER_BIN,
                "--data-dir",
                data_dir().string(),
                "--listen",
                listen,
                "--verification",
                "file:" + codes_file().string(),
                "--log-level",
                options_.log_level,
                "--threads",
                std::to_string(options_.threads)};
  if (options_.config_toml) {
    spawn.argv.push_back("--config");
    spawn.argv.push_back((dir_ / "server.toml").string());
  }
  spawn.env = child_environment(dir_);
  spawn.stdout_file = dir_ / ("server-" + std::to_string(starts_) + ".out");
  spawn.stderr_file = dir_ / ("server-" + std::to_string(starts_) + ".log");
  ++starts_;
  process_ = std::make_unique<Process>(std::move(spawn));

  // The listen line names the port (port 0 at the first start picks one).
  // (No std::regex: GCC 12 under the sanitizers warns inside <regex>, and -Werror stops.)
  constexpr std::string_view prefix = "listening on wss://127.0.0.1:";
  std::string port_text;
  bool found = poll_until(start_timeout, [&] {
    std::string log = read_file(dir_ / ("server-" + std::to_string(starts_ - 1) + ".log"));
    auto at = log.find(prefix);
    if (at != std::string::npos) {
      auto digits = log.substr(at + prefix.size());
      auto end = digits.find_first_not_of("0123456789");
      if (end != std::string::npos && end > 0 && digits.compare(end, 13, "/v1/websocket") == 0) {
        port_text = digits.substr(0, end);
        return true;
      }
    }
    return process_->try_wait().has_value();
  });
  if (!found || port_text.empty()) {
    fail(process_->exit_status()
             ? "exited (" + process_->exit_status()->describe() + ") before listening"
             : "printed no listen line");
  }
  auto port = static_cast<std::uint16_t>(std::stoi(port_text));
  if (port_ != 0 && port != port_) fail("came back on port " + std::to_string(port));
  port_ = port;
  if (!poll_until(start_timeout, [&] { return healthy() || process_->try_wait().has_value(); }) ||
      !healthy()) {
    fail("never answered /healthz");
  }
}

ExitStatus ServerProcess::stop() {
  if (!process_) throw std::logic_error("stop() without a server");
  process_->send_signal(SIGTERM);
  auto status = process_->wait_for(stop_timeout);
  if (!status)
    fail("did not exit within " + std::to_string(stop_timeout.count()) + " ms of SIGTERM");
  return *status;
}

ExitStatus ServerProcess::kill() {
  if (!process_) throw std::logic_error("kill() without a server");
  return process_->kill_and_wait();
}

void ServerProcess::restart() {
  if (process_ && !process_->try_wait()) throw std::logic_error("restart() of a running server");
  start("127.0.0.1:" + std::to_string(port_));
}

bool ServerProcess::running() { return process_ && !process_->try_wait(); }

std::string ServerProcess::log_text() const {
  std::string all;
  for (int i = 0; i < starts_; ++i)
    all += read_file(dir_ / ("server-" + std::to_string(i) + ".log"));
  return all;
}

std::vector<std::string> ServerProcess::codes_for(const std::string& phone) const {
  std::vector<std::string> codes;
  std::istringstream lines(read_file(codes_file()));
  std::string line;
  while (std::getline(lines, line)) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    // A line still being written does not parse yet; the next poll sees it whole.
    if (json.is_discarded() || !json.is_object()) continue;
    if (json.value("phone", "") == phone) codes.push_back(json.value("code", ""));
  }
  return codes;
}

std::string ServerProcess::next_code(const std::string& phone, std::chrono::milliseconds timeout) {
  std::size_t& taken = codes_taken_[phone];
  std::vector<std::string> codes;
  if (!poll_until(timeout, [&] {
        codes = codes_for(phone);
        return codes.size() > taken;
      })) {
    fail("sent no new code to " + phone + " (codes file: " + read_file(codes_file()) + ")");
  }
  return codes[taken++];
}

std::map<std::string, double> ServerProcess::metrics() const {
  HttpResult response = https_get(port_, ca_file(), "/metrics");
  if (response.status != 200) {
    fail("GET /metrics: status " + std::to_string(response.status) + " " + response.error);
  }
  std::map<std::string, double> samples;
  std::istringstream lines(response.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') continue;
    auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

double ServerProcess::metric(const std::string& name) const {
  auto samples = metrics();
  auto found = samples.find(name);
  if (found == samples.end()) fail("has no metric " + name);
  return found->second;
}

bool ServerProcess::healthy() const {
  if (port_ == 0) return false;
  HttpResult response = https_get(port_, ca_file(), "/healthz", std::chrono::seconds(2));
  return response.status == 200 && response.body == "ok\n";
}

void ServerProcess::fail(const std::string& what) const {
  throw std::runtime_error("bulwark-server " + what + "\n--- server log ---\n" + tail(log_text()));
}

}  // namespace bulwark::e2e
