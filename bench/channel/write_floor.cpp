// bulwark-bench-write-floor: what one plain write(2) per subscriber costs on this machine, with
// no TLS, no WebSocket and no server at all - the floor under the channel fan-out's
// "deliveries per server-CPU-second" (README.md, "The floor").
//
// The parent opens --connections loopback TCP connections to a child process, pinned to the
// other CPU, which drains them with epoll. Then, --rounds times, it writes one --bytes message to
// every connection, in a loop, as a fan-out does, and waits until the child has read them all.
// It prints the parent's CPU time (user + system, getrusage) per write: the kernel's send path,
// and - on loopback - the receiver's TCP processing, which the kernel runs in the sender's
// system call (the receiving socket's softirq work).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "isolation.h"
#include "proc_stats.h"

namespace {

struct Options {
  int connections = 19000;
  int rounds = 50;
  int bytes = 1200;
  int writer_cpu = 0;
  int reader_cpu = 1;
};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "bulwark-bench-write-floor: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

void pin(int cpu) {
  if (!bulwark::loadgen::pin_to_cpu(cpu)) die("sched_setaffinity");
}

// The reader: connects `count` sockets, reports on `ready`, then drains every byte it gets and
// reports each full round's worth (count * bytes) on `ready` again. Ends when the parent closes.
[[noreturn]] void run_reader(const Options& options, sockaddr_in address, int ready) {
  pin(options.reader_cpu);
  const int epoll = ::epoll_create1(0);
  if (epoll < 0) die("epoll_create1");
  for (int i = 0; i < options.connections; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("connect");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) die("epoll_ctl");
  }
  char byte = 1;
  if (::write(ready, &byte, 1) != 1) die("write ready");
  const long long round_bytes = static_cast<long long>(options.connections) * options.bytes;
  long long received = 0;
  std::vector<epoll_event> events(1024);
  std::vector<char> buffer(65536);
  for (;;) {
    const int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 10000);
    if (n <= 0) std::_Exit(0);  // the parent is gone (or stopped writing): done
    for (int i = 0; i < n; ++i) {
      const ssize_t got = ::read(events[i].data.fd, buffer.data(), buffer.size());
      if (got <= 0) std::_Exit(0);
      received += got;
      while (received >= round_bytes) {
        received -= round_bytes;
        if (::write(ready, &byte, 1) != 1) std::_Exit(0);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"One plain write(2) per loopback connection: the kernel's floor under a fan-out"};
  app.add_option("--connections", options.connections, "connections (subscribers)")
      ->check(CLI::Range(1, 60000));
  app.add_option("--rounds", options.rounds, "messages per connection")->check(CLI::Range(1, 100000));
  app.add_option("--bytes", options.bytes, "bytes per message")->check(CLI::Range(1, 16384));
  app.add_option("--writer-cpu", options.writer_cpu, "CPU of the writing process");
  app.add_option("--reader-cpu", options.reader_cpu, "CPU of the reading process");
  CLI11_PARSE(app, argc, argv);

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
  if (::listen(listener, 4096) != 0) die("listen");
  if (::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    die("getsockname");
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) die("pipe");
  const pid_t reader = ::fork();
  if (reader < 0) die("fork");
  if (reader == 0) {
    ::close(pipe_fds[0]);
    run_reader(options, address, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  pin(options.writer_cpu);
  std::vector<int> sockets;
  sockets.reserve(static_cast<std::size_t>(options.connections));
  while (static_cast<int>(sockets.size()) < options.connections) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) die("accept");
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockets.push_back(fd);
  }
  char byte = 0;
  if (::read(pipe_fds[0], &byte, 1) != 1) die("reader did not connect");
  const std::string message(static_cast<std::size_t>(options.bytes), 'x');
  const double before = bulwark::loadgen::self_cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < options.rounds; ++round) {
    for (int fd : sockets) {
      if (::write(fd, message.data(), message.size()) != static_cast<ssize_t>(message.size()))
        die("write");
    }
    if (::read(pipe_fds[0], &byte, 1) != 1) die("reader stopped");  // all of this round read
  }
  const double cpu = bulwark::loadgen::self_cpu_seconds() - before;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (int fd : sockets) ::close(fd);
  ::kill(reader, SIGTERM);
  ::waitpid(reader, nullptr, 0);
  const double writes = static_cast<double>(options.connections) * options.rounds;
  std::printf("write_floor: connections=%d rounds=%d bytes=%d writes=%.0f writer_cpu_seconds=%.2f "
              "wall_seconds=%.2f us_per_write=%.2f writes_per_cpu_second=%.0f "
              "(plain write(2), no TLS; writer pinned to CPU %d, reader to CPU %d)\n",
              options.connections, options.rounds, options.bytes, writes, cpu, wall,
              cpu / writes * 1e6, writes / cpu, options.writer_cpu, options.reader_cpu);
  return 0;
}
