// `bulwark daemon --socket PATH`: JSON-RPC 2.0 over a UNIX socket, one JSON object per line,
// for bots and other programs (docs/CLI.md lists the methods). Every connected program gets
// incoming messages as "receive" notifications. One process, one loop: requests and receiving
// take turns, so the client state needs no locking.
//
// Bounds: at most 16 programs at once, request lines of at most 256 KiB, at most 4 MiB waiting
// to be written to a program (a program that does not read is disconnected).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <map>

#include "cli/commands.h"
#include "cli/daemon_methods.h"
#include "cli/render.h"

namespace bulwark::cli {
namespace {

constexpr std::size_t max_programs = 16;
constexpr std::size_t max_line_bytes = 256 * 1024;
constexpr std::size_t max_pending_output = 4 * 1024 * 1024;
constexpr auto receive_window = std::chrono::milliseconds(100);

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

struct Program {
  std::string input;
  std::string output;
};

class Daemon {
 public:
  Daemon(client::Client& client, int listener) : client_(client), listener_(listener) {}

  void run() {
    while (!stop_requested) {
      poll_sockets();
      auto received = client_.receive(receive_window, [&](const client::ReceiveEvent& event) {
        if (event.kind != client::ReceiveEvent::Kind::queue_empty)
          broadcast({{"jsonrpc", "2.0"}, {"method", "receive"}, {"params", event_json(event)}});
        return !stop_requested;
      });
      broadcast_new_alerts();
      if (!received) {
        broadcast({{"jsonrpc", "2.0"}, {"method", "error"},
                   {"params", {{"message", received.error().context}}}});
        ::poll(nullptr, 0, 1000);  // the server is away; the next round reconnects
      }
    }
  }

  // Key-transparency alerts (cli/alerts.h) as "kt_alert" notifications, each once, as soon as
  // the client raises them (self-monitoring on connect, a refused contact on send).
  void broadcast_new_alerts() {
    const auto& alerts = client_.alerts();
    for (; alerts_sent_ < alerts.size(); ++alerts_sent_) {
      const client::KtAlert& alert = alerts[alerts_sent_];
      broadcast({{"jsonrpc", "2.0"}, {"method", "kt_alert"},
                 {"params", {{"kind", alert.kind}, {"account", alert.account},
                             {"message", alert.message}}}});
    }
  }

 private:
  void poll_sockets() {
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    for (auto& [fd, program] : programs_)
      fds.push_back({fd, static_cast<short>(POLLIN | (program.output.empty() ? 0 : POLLOUT)), 0});
    if (::poll(fds.data(), fds.size(), 0) <= 0) return;
    if (fds[0].revents & POLLIN) accept_program();
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents & (POLLERR | POLLHUP)) { drop(fds[i].fd); continue; }
      if (fds[i].revents & POLLIN) read_program(fds[i].fd);
      if (programs_.contains(fds[i].fd) && (fds[i].revents & POLLOUT)) flush(fds[i].fd);
    }
  }

  void accept_program() {
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (programs_.size() >= max_programs) { ::close(fd); return; }
    programs_[fd] = Program{};
  }

  void read_program(int fd) {
    char buffer[8192];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return drop(fd);
    Program& program = programs_[fd];
    program.input.append(buffer, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = program.input.find('\n')) != std::string::npos) {
      std::string line = program.input.substr(0, newline);
      program.input.erase(0, newline + 1);
      send_to(fd, handle_rpc_line(client_, line));
      if (!programs_.contains(fd)) return;
    }
    if (program.input.size() > max_line_bytes) {
      send_to(fd, rpc_error(nullptr, -32600, "request line too long"));
      drop(fd);
    }
  }

  void send_to(int fd, const nlohmann::json& message) {
    auto it = programs_.find(fd);
    if (it == programs_.end()) return;
    it->second.output += message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (it->second.output.size() > max_pending_output) return drop(fd);
    flush(fd);
  }

  void broadcast(const nlohmann::json& message) {
    std::vector<int> fds;
    for (const auto& [fd, program] : programs_) fds.push_back(fd);
    for (int fd : fds) send_to(fd, message);
  }

  void flush(int fd) {
    Program& program = programs_[fd];
    while (!program.output.empty()) {
      ssize_t n = ::send(fd, program.output.data(), program.output.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        return drop(fd);
      }
      program.output.erase(0, static_cast<std::size_t>(n));
    }
  }

  void drop(int fd) {
    ::close(fd);
    programs_.erase(fd);
  }

  client::Client& client_;
  std::size_t alerts_sent_ = 0;
  int listener_;
  std::map<int, Program> programs_;
};

int listen_on(const std::string& path, std::string& error) {
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) { error = "socket path too long"; return -1; }
  address.sun_family = AF_UNIX;
  std::copy(path.begin(), path.end(), address.sun_path);
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  mode_t old_mask = ::umask(0077);  // the socket is as private as the account
  int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::umask(old_mask);
  if (fd < 0 || bound != 0 || ::listen(fd, 16) != 0) {
    error = "cannot listen on " + path;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

int run_daemon(const std::string& socket_path, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  std::string error;
  int listener = listen_on(socket_path, error);
  if (listener < 0) return out.error(Error{Errc::invalid_argument, error});
  ::signal(SIGTERM, on_signal);
  ::signal(SIGINT, on_signal);
  out.emit({{"type", "daemon"}, {"socket", socket_path}}, "listening on " + socket_path);
  Daemon(*(*session)->client, listener).run();
  ::close(listener);
  ::unlink(socket_path.c_str());
  return exit_ok;
}

}  // namespace

void add_daemon_command(CLI::App& app, Commands& commands) {
  auto socket_path = std::make_shared<std::string>();
  CLI::App* daemon = app.add_subcommand("daemon", "serve JSON-RPC 2.0 on a UNIX socket, with incoming messages as events");
  daemon->add_option("--socket", *socket_path, "socket path")->required();
  commands.push_back({daemon, [socket_path](const GlobalOptions& o, const Output& out) { return run_daemon(*socket_path, o, out); }});
}

}  // namespace bulwark::cli
