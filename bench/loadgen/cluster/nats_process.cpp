#include "cluster/nats_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "child_guard.h"

namespace bulwark::loadgen::cluster {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

// A port the kernel has just handed out and released (nats-server takes it at once).
Result<std::uint16_t> free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(Errc::internal, "socket failed");
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  if (!ok) return fail(Errc::internal, "no free loopback port for nats-server");
  return ntohs(address.sin_port);
}

bool accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

Result<std::string> nats_binary() {
  for (const char* candidate : {"/usr/sbin/nats-server", "/usr/bin/nats-server"})
    if (::access(candidate, X_OK) == 0) return std::string(candidate);
  return fail(Errc::not_found,
              "no nats-server in /usr/sbin or /usr/bin (apt-get install "
              "nats-server, or scripts/install-deps)");
}

[[noreturn]] void exec_nats(const std::string& binary, const std::string& port,
                            const std::string& log, pid_t parent) {
  if (!become_guarded_child(parent)) ::_exit(127);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int null = ::open("/dev/null", O_RDONLY);
  if (out < 0 || null < 0) ::_exit(125);
  ::dup2(null, STDIN_FILENO);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(out, STDERR_FILENO);
  const char* argv[] = {binary.c_str(), "-a", "127.0.0.1", "-p", port.c_str(), nullptr};
  ::execv(binary.c_str(), const_cast<char* const*>(argv));
  ::_exit(124);
}

}  // namespace

Result<std::unique_ptr<NatsProcess>> NatsProcess::start(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  const std::string binary = BULWARK_TRY(nats_binary());
  const std::uint16_t port = BULWARK_TRY(free_port());
  const std::string port_text = std::to_string(port);
  const std::string log = (dir / "nats-server.log").string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return fail(Errc::internal, "fork failed");
  if (pid == 0) exec_nats(binary, port_text, log, parent);
  guard_child(pid);
  std::unique_ptr<NatsProcess> nats(new NatsProcess(pid, port));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!accepts(port)) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      unguard_child(pid);
      nats->pid_ = -1;
      return fail(Errc::unavailable, "nats-server exited at start (see " + log + ")");
    }
    if (std::chrono::steady_clock::now() > deadline)
      return fail(Errc::unavailable, "nats-server did not accept within 30 s (see " + log + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return nats;
}

NatsProcess::~NatsProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (::waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  unguard_child(pid_);
}

}  // namespace bulwark::loadgen::cluster
