// See peer_process.h.
#include "peer_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <utility>

extern char** environ;  // POSIX: the application itself declares it

namespace bulwark::interop {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(std::string_view what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

// If the test binary runs with stdin or stdout closed, pipe2 may hand out fd 0 or 1, and a
// dup2 onto the same number would keep O_CLOEXEC. Moving every pipe end above the standard
// streams keeps the child's stdio wiring unambiguous.
UniqueFd above_stdio(int fd) {
  if (fd > STDERR_FILENO) return UniqueFd(fd);
  UniqueFd original(fd);
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0) throw std::runtime_error(errno_text("fcntl(F_DUPFD_CLOEXEC)", errno));
  return UniqueFd(moved);
}

// O_CLOEXEC, so that one peer never inherits another peer's pipe ends (which would keep that
// peer's stdin open after we close ours).
std::pair<UniqueFd, UniqueFd> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw std::runtime_error(errno_text("pipe2", errno));
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  return {above_stdio(read_end.release()), above_stdio(write_end.release())};
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    throw std::runtime_error(errno_text("fcntl(O_NONBLOCK)", errno));
  }
}

// Writing to a peer that has died must fail the call (EPIPE), not kill the test binary.
void ignore_sigpipe() {
  static const bool ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  if (!ignored) throw std::runtime_error("cannot ignore SIGPIPE");
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

std::string shorten(std::string_view text) {
  constexpr std::size_t limit = 300;
  return text.size() <= limit ? std::string(text) : std::string(text.substr(0, limit)) + "...";
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() noexcept { return std::exchange(fd_, -1); }

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

PeerProcess::PeerProcess(std::vector<std::string> argv, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  if (argv.empty()) throw std::invalid_argument("PeerProcess: empty argv");
  for (const auto& arg : argv) command_ += (command_.empty() ? "" : " ") + arg;
  ignore_sigpipe();

  auto [child_stdin, to_child] = make_pipe();
  auto [from_child, child_stdout] = make_pipe();
  // Our ends only (the child's ends are separate open files): no read or write of ours can
  // then outlast the poll deadline.
  set_nonblocking(to_child.get());
  set_nonblocking(from_child.get());
  posix_spawn_file_actions_t actions;
  if (int rc = posix_spawn_file_actions_init(&actions); rc != 0) {
    fail(errno_text("spawn actions", rc));
  }
  int rc = posix_spawn_file_actions_adddup2(&actions, child_stdin.get(), STDIN_FILENO);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, child_stdout.get(), STDOUT_FILENO);
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  if (rc == 0) rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    fail(errno_text("cannot start", rc));
  }
  to_child_ = std::move(to_child);
  from_child_ = std::move(from_child);
}

PeerProcess::~PeerProcess() {
  to_child_.reset();
  from_child_.reset();
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

nlohmann::json PeerProcess::call(const nlohmann::json& request) {
  std::string line = call_raw(request.dump());
  auto response = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object() || !response.contains("ok") ||
      !response["ok"].is_boolean()) {
    fail("answered " + request.dump().substr(0, 80) +
         " with a line that is not {\"ok\":bool,...}: " + shorten(line));
  }
  return response;
}

std::string PeerProcess::call_raw(std::string_view line) {
  if (pid_ <= 0) fail("call after close_and_wait()");
  auto deadline = Clock::now() + timeout_;
  write_all(std::string(line) + "\n", deadline);
  return read_line(deadline);
}

int PeerProcess::close_and_wait() {
  if (pid_ <= 0) fail("close_and_wait() twice");
  to_child_.reset();
  // The child closes its stdout when it exits; wait for that within the deadline (no sleeps),
  // then reap it. Anything it still prints is read and dropped.
  auto deadline = Clock::now() + timeout_;
  std::array<char, 4096> sink{};
  for (;;) {
    wait_for(from_child_.get(), POLLIN, deadline, "exit after EOF on its stdin");
    ssize_t n = ::read(from_child_.get(), sink.data(), sink.size());
    if (n == 0) break;
    if (n < 0 && errno != EAGAIN && errno != EINTR) fail(errno_text("read", errno));
  }
  int status = 0;
  pid_t reaped = -1;
  while ((reaped = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (reaped < 0) fail(errno_text("waitpid", errno));
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void PeerProcess::write_all(std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    wait_for(to_child_.get(), POLLOUT, deadline, "accept a request");
    ssize_t n = ::write(to_child_.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      fail(errno_text("write to the peer's stdin", errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string PeerProcess::read_line(Clock::time_point deadline) {
  std::array<char, 65536> chunk{};
  for (;;) {
    if (auto newline = pending_.find('\n'); newline != std::string::npos) {
      if (newline > max_line_bytes) break;
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    if (pending_.size() > max_line_bytes) break;
    wait_for(from_child_.get(), POLLIN, deadline, "answer");
    ssize_t n = ::read(from_child_.get(), chunk.data(), chunk.size());
    if (n == 0) fail("closed its stdout without answering (crashed or exited?)");
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      fail(errno_text("read from the peer's stdout", errno));
    }
    pending_.append(chunk.data(), static_cast<std::size_t>(n));
  }
  fail("sent a response line longer than " + std::to_string(max_line_bytes) + " bytes");
}

void PeerProcess::wait_for(int fd, short events, Clock::time_point deadline,
                           std::string_view what) const {
  for (;;) {
    pollfd entry{fd, events, 0};
    int ready = ::poll(&entry, 1, remaining_ms(deadline));
    if (ready > 0) return;  // readable, writable, or hung up: the next read/write tells which
    if (ready < 0 && errno != EINTR) fail(errno_text("poll", errno));
    if (ready == 0) {
      fail("did not " + std::string(what) + " within " + std::to_string(timeout_.count()) + " ms");
    }
  }
}

void PeerProcess::fail(std::string_view what) const {
  throw std::runtime_error("peer [" + command_ + "] " + std::string(what));
}

}  // namespace bulwark::interop
