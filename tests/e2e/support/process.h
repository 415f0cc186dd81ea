// Process: one child process (bulwark-server or bulwark) started with fork/exec. Its stdout
// and stderr go to files (so no pipe can fill and wedge it); its stdin is /dev/null, a file, or
// a pipe the test writes to (to kill a client while it is still reading its input).
//
// Invariants: while the object lives the child is running or already reaped; the destructor
// SIGKILLs and reaps whatever is left, and PR_SET_PDEATHSIG kills the child if the test
// process itself dies, so no test leaves processes behind. Failures throw std::runtime_error.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::e2e {

struct ExitStatus {
  bool exited = false;  // false: killed by `signal`
  int code = -1;
  int signal = 0;
  [[nodiscard]] std::string describe() const;
};

struct SpawnOptions {
  std::vector<std::string> argv;                    // argv[0] is a path (PATH is not searched)
  std::vector<std::string> env;                     // the whole environment, NAME=VALUE
  std::optional<std::filesystem::path> stdin_file;  // else /dev/null, unless stdin_pipe
  bool stdin_pipe = false;
  std::filesystem::path stdout_file;
  std::filesystem::path stderr_file;
};

// This process's environment without the variables that would redirect a bulwark client
// (BULWARK_PASSPHRASE, XDG_DATA_HOME), with HOME set to `home`.
[[nodiscard]] std::vector<std::string> child_environment(const std::filesystem::path& home);

class Process {
 public:
  explicit Process(SpawnOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::string& command() const noexcept { return command_; }

  // Requires stdin_pipe. Writes all of `data` (or throws when the child stops reading before
  // the timeout); close_stdin() sends EOF.
  void write_stdin(std::string_view data, std::chrono::milliseconds timeout);
  void close_stdin();

  void send_signal(int signal);
  // The exit status once the child has exited; nullopt while it runs.
  [[nodiscard]] std::optional<ExitStatus> try_wait();
  [[nodiscard]] std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  // SIGKILL, then reap.
  ExitStatus kill_and_wait();
  [[nodiscard]] std::optional<ExitStatus> exit_status() const noexcept { return status_; }

 private:
  std::string command_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace bulwark::e2e
