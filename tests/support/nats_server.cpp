#include "nats_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace bulwark::testing {
namespace {

constexpr std::chrono::seconds start_timeout{10};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port the kernel has just handed out and released again (nats-server takes it at once).
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("nats test server: socket() failed");
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("nats test server: no free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address = loopback(port);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

std::filesystem::path make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/bulwark-nats-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("nats test server: mkdtemp failed");
  return pattern;
}

// Debian installs it in /usr/sbin; BULWARK_NATS_SERVER names another build.
std::string nats_server_binary() {
  if (const char* chosen = std::getenv("BULWARK_NATS_SERVER"); chosen != nullptr && *chosen)
    return chosen;
  for (const char* candidate : {"/usr/sbin/nats-server", "/usr/bin/nats-server"})
    if (::access(candidate, X_OK) == 0) return candidate;
  throw std::runtime_error("nats test server: no nats-server in /usr/sbin or /usr/bin");
}

}  // namespace

NatsServer::NatsServer(bool monitoring)
    : dir_(make_temp_dir()), port_(free_port()), monitor_port_(monitoring ? free_port() : 0) {
  try {
    start();
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

NatsServer::~NatsServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

void NatsServer::start() {
  if (running()) return;
  const std::string port = std::to_string(port_);
  const std::string log = (dir_ / "nats-server.log").string();
  std::vector<std::string> args = {nats_server_binary(), "-a", "127.0.0.1", "-p", port, "-l", log};
  if (monitor_port_ != 0) {
    args.emplace_back("-m");
    args.push_back(std::to_string(monitor_port_));
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("nats test server: fork failed");
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    if (::chdir(dir_.c_str()) != 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = child;
  wait_until_accepting(start_timeout);
}

void NatsServer::stop() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void NatsServer::wait_until_accepting(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_)
      throw std::runtime_error("nats test server: nats-server exited at start (see " +
                               (dir_ / "nats-server.log").string() + ")");
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("nats test server: not accepting on port " + std::to_string(port_) +
                               " after 10 s");
    // Polling an observable condition (the port accepts) with a deadline, not a sleep to
    // synchronise.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace bulwark::testing
