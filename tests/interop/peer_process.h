// A child process speaking the interop peers' line protocol (tests/interop/README.md): one JSON
// request line on its stdin, one JSON response line on its stdout.
//
// Every read is bounded in size (max_line_bytes) and every call in time (the timeout given at
// construction), so a wedged or chatty peer fails the test with a message instead of hanging it.
// The child's stderr is inherited, so a crashing peer's diagnostics land in the test log.
// Invariant: while the object lives, the child is either running or already reaped by
// close_and_wait(); the destructor kills (SIGKILL) and reaps whatever is left.
// Failures throw std::runtime_error: GoogleTest reports them as a failed test with the text.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bulwark::interop {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] int release() noexcept;
  void reset() noexcept;

 private:
  int fd_ = -1;
};

class PeerProcess {
 public:
  static constexpr std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB
  static constexpr std::chrono::milliseconds default_timeout{20'000};

  // Starts argv[0] (a path; PATH is not searched) with `argv`. Requires !argv.empty().
  explicit PeerProcess(std::vector<std::string> argv,
                       std::chrono::milliseconds timeout = default_timeout);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;
  PeerProcess(PeerProcess&&) = delete;
  PeerProcess& operator=(PeerProcess&&) = delete;

  // Sends `request` as one line and returns the parsed response line, which must be a JSON
  // object with a boolean "ok".
  [[nodiscard]] nlohmann::json call(const nlohmann::json& request);

  // Sends raw text plus '\n' (for malformed-request tests) and returns the raw response line.
  [[nodiscard]] std::string call_raw(std::string_view line);

  // Closes the child's stdin and waits (bounded by the timeout) for it to exit; returns its
  // exit status, or -1 if it died from a signal.
  [[nodiscard]] int close_and_wait();

  [[nodiscard]] const std::string& command() const noexcept { return command_; }

 private:
  void write_all(std::string_view data, std::chrono::steady_clock::time_point deadline);
  [[nodiscard]] std::string read_line(std::chrono::steady_clock::time_point deadline);
  // Polls `fd` for `events` until the deadline; throws on timeout.
  void wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline,
                std::string_view what) const;
  [[noreturn]] void fail(std::string_view what) const;

  std::string command_;  // for messages only
  std::chrono::milliseconds timeout_;
  pid_t pid_ = -1;
  UniqueFd to_child_;    // the child's stdin
  UniqueFd from_child_;  // the child's stdout
  std::string pending_;  // bytes read past the last returned line
};

}  // namespace bulwark::interop
