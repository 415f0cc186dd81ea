// EventLoop: one epoll instance with nanosecond timeouts (epoll_pwait2), the whole I/O engine
// of the load generator. Single-threaded: every connection of a generator process lives on
// one loop, and the process is pinned to its own CPU, so the generator's cost is measurable
// (getrusage) and never competes with the server's CPU.
//
// Level-triggered. A Watcher stays registered until remove(); the loop never owns watchers,
// and a watcher must outlive its registration.
#pragma once

#include <chrono>
#include <cstdint>

namespace bulwark::loadgen {

using Clock = std::chrono::steady_clock;

class EventLoop {
 public:
  class Watcher {
   public:
    virtual ~Watcher() = default;
    // `events` is the epoll mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP).
    virtual void on_events(std::uint32_t events) = 0;
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void add(int fd, Watcher& watcher, std::uint32_t events);
  void modify(int fd, Watcher& watcher, std::uint32_t events);
  void remove(int fd);

  // Waits at most `timeout` (negative: forever) and dispatches at most `max_events` of what is
  // ready (a small bound keeps a caller's own schedule punctual). Returns how many.
  int poll(std::chrono::nanoseconds timeout, int max_events = 256);

 private:
  int epoll_fd_;
};

}  // namespace bulwark::loadgen
