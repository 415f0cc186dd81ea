#include "idle_worker.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "device_link.h"

namespace bulwark::loadgen {
namespace {

constexpr std::size_t handshakes_in_flight = 128;
constexpr auto step_deadline = std::chrono::seconds(60);

// Buffers command lines from the parent while the loop serves the connections.
class CommandReader final : public EventLoop::Watcher {
 public:
  explicit CommandReader(int fd) : fd_(fd) {}
  void on_events(std::uint32_t) override {
    char buffer[256];
    const ssize_t got = ::read(fd_, buffer, sizeof buffer);
    if (got <= 0) {
      closed_ = true;
      return;
    }
    text_.append(buffer, static_cast<std::size_t>(got));
  }
  // The next complete line, or false.
  bool next_line(std::string& line) {
    const std::size_t end = text_.find('\n');
    if (end == std::string::npos) return false;
    line = text_.substr(0, end);
    text_.erase(0, end + 1);
    return true;
  }
  [[nodiscard]] bool closed() const noexcept { return closed_; }

 private:
  int fd_;
  std::string text_;
  bool closed_ = false;
};

void reply(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) ::_exit(1);
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

void idle_worker_main(const TlsClientContext& tls, const ServerAddress& server,
                      const std::vector<DeviceCredentials>& devices, std::size_t begin,
                      std::size_t end, int command_fd, int reply_fd) {
  EventLoop loop;
  CommandReader commands(command_fd);
  loop.add(command_fd, commands, EPOLLIN);
  std::vector<std::unique_ptr<DeviceLink>> links;
  links.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i)
    links.push_back(std::make_unique<DeviceLink>(loop, tls, server, devices[i], i));
  std::size_t opened = 0;
  std::string line;
  while (!commands.closed()) {
    loop.poll(std::chrono::milliseconds(200));
    while (commands.next_line(line)) {
      if (line == "exit") ::_exit(0);
      if (line.rfind("open ", 0) != 0) continue;
      const std::size_t count =
          std::min<std::size_t>(std::stoul(line.substr(5)), links.size() - opened);
      connect_links(loop, links, opened, opened + count, handshakes_in_flight,
                    Clock::now() + step_deadline);
      opened += count;
      std::size_t ready = 0, failed = 0;
      std::string first;
      for (std::size_t i = 0; i < opened; ++i) {
        if (links[i]->state() == DeviceLink::State::ready) {
          ++ready;
        } else {
          ++failed;
          if (first.empty()) first = links[i]->failure();
        }
      }
      for (char& c : first)
        if (c == '\n') c = ' ';
      reply(reply_fd,
            "ok " + std::to_string(ready) + " " + std::to_string(failed) + " " + first + "\n");
    }
  }
  ::_exit(0);
}

}  // namespace bulwark::loadgen
