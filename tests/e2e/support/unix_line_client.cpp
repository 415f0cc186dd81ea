#include "support/unix_line_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "support/wait.h"

namespace bulwark::e2e {
namespace {

int connect_unix(const std::filesystem::path& path) {
  sockaddr_un address{};
  const std::string text = path.string();
  if (text.size() >= sizeof address.sun_path)
    throw std::runtime_error("socket path too long: " + text);
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, text.data(), text.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

UnixLineClient::UnixLineClient(const std::filesystem::path& socket_path) {
  fd_ = connect_unix(socket_path);
  if (fd_ < 0) {
    throw std::runtime_error("cannot connect to " + socket_path.string() + ": " +
                             std::strerror(errno));
  }
}

UnixLineClient::~UnixLineClient() {
  if (fd_ >= 0) ::close(fd_);
}

void UnixLineClient::write_line(std::string_view line) {
  std::string data = std::string(line) + "\n";
  std::string_view rest = data;
  while (!rest.empty()) {
    ssize_t n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("write to the daemon: ") + std::strerror(errno));
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string UnixLineClient::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::array<char, 8192> chunk{};
  for (;;) {
    if (auto newline = pending_.find('\n'); newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("no line from the daemon within the timeout (pending: \"" +
                               pending_ + "\")");
    }
    pollfd fd{fd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::read(fd_, chunk.data(), chunk.size());
    if (n == 0) throw std::runtime_error("the daemon closed the connection");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw std::runtime_error(std::string("read from the daemon: ") + std::strerror(errno));
    }
    pending_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

}  // namespace bulwark::e2e
