#include "event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace bulwark::loadgen {
namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::abort();
}

}  // namespace

EventLoop::EventLoop() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) die("epoll_create1");
}

EventLoop::~EventLoop() { ::close(epoll_fd_); }

void EventLoop::add(int fd, Watcher& watcher, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = &watcher;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) die("epoll_ctl add");
}

void EventLoop::modify(int fd, Watcher& watcher, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = &watcher;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) != 0) die("epoll_ctl mod");
}

void EventLoop::remove(int fd) {
  epoll_event ignored{};
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &ignored);
}

int EventLoop::poll(std::chrono::nanoseconds timeout, int max_events) {
  std::array<epoll_event, 256> events{};
  timespec wait{};
  timespec* wait_ptr = nullptr;
  if (timeout.count() >= 0) {
    wait.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
    wait.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
    wait_ptr = &wait;
  }
  const int capacity = std::min(max_events, static_cast<int>(events.size()));
  const int ready = ::epoll_pwait2(epoll_fd_, events.data(), capacity, wait_ptr, nullptr);
  if (ready < 0) {
    if (errno == EINTR) return 0;
    die("epoll_pwait2");
  }
  for (int i = 0; i < ready; ++i) {
    static_cast<Watcher*>(events[static_cast<std::size_t>(i)].data.ptr)
        ->on_events(events[static_cast<std::size_t>(i)].events);
  }
  return ready;
}

}  // namespace bulwark::loadgen
