#include "server_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "child_guard.h"

namespace bulwark::loadgen {
namespace {

[[noreturn]] void exec_server(const ServerLaunch& launch, const std::filesystem::path& log,
                              pid_t parent) {
  if (!become_guarded_child(parent)) ::_exit(127);
  if (launch.cpu >= 0) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(launch.cpu, &one);
    if (::sched_setaffinity(0, sizeof one, &one) != 0) ::_exit(126);
  }
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int null = ::open("/dev/null", O_RDONLY);
  if (out < 0 || null < 0) ::_exit(125);
  ::dup2(null, STDIN_FILENO);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(out, STDERR_FILENO);
  const std::string binary = launch.binary.string();
  const std::string data = (launch.work_dir / "data").string();
  const std::string verification = "file:" + (launch.work_dir / "codes.jsonl").string();
  const std::string config = (launch.work_dir / "server.toml").string();
  const std::string threads = std::to_string(launch.threads);
  std::vector<const char*> argv{binary.c_str(), "--data-dir",     data.c_str(),         "--listen",
                                "127.0.0.1:0",  "--verification", verification.c_str(), "--config",
                                config.c_str(), "--threads",      threads.c_str(),      nullptr};
  ::execv(binary.c_str(), const_cast<char* const*>(argv.data()));
  ::_exit(124);
}

}  // namespace

std::string benchmark_config(const ServerLaunch& launch) {
  std::ostringstream out;
  out << "# Written by " << launch.written_by
      << ". The rate limits are raised to the largest burst the\n"
         "# server accepts so that they never throttle the benchmark's load.\n"
         "[server]\n"
      << "threads = " << launch.threads << "\n"
      << (launch.plaintext ? "plaintext_listen = \"127.0.0.1:0\"\n" : "") << "\n"
      << "[limits]\n"
      << "max_connections = " << launch.max_connections << "\n";
  for (const char* key : {"code_per_phone", "code_per_ip", "verify_per_phone", "requests_per_ip",
                          "sends_per_account", "lookups_per_account"}) {
    out << key << " = " << unthrottled_rate_limit << "\n";
  }
  for (const std::string& line : launch.extra_limits) out << line << "\n";
  if (!launch.extra_config.empty()) out << "\n" << launch.extra_config;
  return out.str();
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::start(const ServerLaunch& launch) {
  std::error_code error;
  std::filesystem::create_directories(launch.work_dir, error);
  if (error) return fail(Errc::storage, "cannot create " + launch.work_dir.string());
  {
    std::ofstream config(launch.work_dir / "server.toml");
    config << benchmark_config(launch);
    if (!config) return fail(Errc::storage, "cannot write the server configuration");
  }
  if (::access(launch.binary.c_str(), X_OK) != 0)
    return fail(Errc::not_found, "no server binary at " + launch.binary.string());
  const std::filesystem::path log = launch.work_dir / "server.log";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return fail(Errc::internal, "fork failed");
  if (pid == 0) exec_server(launch, log, parent);
  guard_child(pid);
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, launch.work_dir));
  BULWARK_TRY(server->wait_for_port(launch.plaintext));
  return server;
}

Result<void> ServerProcess::wait_for_port(bool plaintext) {
  const std::string marker = "listening on wss://127.0.0.1:";
  const std::string plaintext_marker = "PLAINTEXT listener on ws://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log_file());
    std::string line;
    while (std::getline(in, line)) {
      for (const auto& [text, port] :
           {std::pair{&marker, &port_}, std::pair{&plaintext_marker, &plaintext_port_}}) {
        const std::size_t at = line.find(*text);
        if (at != std::string::npos)
          *port = static_cast<std::uint16_t>(std::stoul(line.substr(at + text->size())));
      }
      if (port_ != 0 && (!plaintext || plaintext_port_ != 0)) return {};
    }
    if (!alive()) return fail(Errc::unavailable, "the server exited at start:\n" + log_tail(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return fail(Errc::unavailable,
              "the server did not start listening within 30 s:\n" + log_tail(20));
}

bool ServerProcess::alive() {
  if (reaped_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    unguard_child(pid_);
    return false;
  }
  return true;
}

std::string ServerProcess::log_tail(std::size_t lines) const {
  std::ifstream in(log_file());
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  std::string out;
  for (const std::string& kept : tail) out += "  | " + kept + "\n";
  return out;
}

std::string ServerProcess::stop() {
  if (!alive()) return "had already exited";
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      unguard_child(pid_);
      return WIFEXITED(status) ? "stopped (exit " + std::to_string(WEXITSTATUS(status)) + ")"
                               : "stopped by a signal";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  unguard_child(pid_);
  return "killed (did not stop within 5 s of SIGTERM)";
}

ServerProcess::~ServerProcess() { stop(); }

}  // namespace bulwark::loadgen
