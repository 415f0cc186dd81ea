#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "support/wait.h"

extern char** environ;  // POSIX: the application declares it

namespace bulwark::e2e {
namespace {

std::string errno_text(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

int open_or_throw(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(errno_text("open " + path.string()));
  return fd;
}

// Writing to a child that has died must fail the write (EPIPE), not kill the test.
void ignore_sigpipe() {
  static const bool ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  if (!ignored) throw std::runtime_error("cannot ignore SIGPIPE");
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(pid_t parent, int in, int out, int err, char* const* argv,
                             char* const* envp) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
  if (::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
      ::dup2(err, STDERR_FILENO) < 0) {
    ::_exit(127);
  }
  // Sockets of the test (Asio does not set O_CLOEXEC) must not outlive it in a child.
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
    for (int fd = 3; fd < 4096; ++fd) ::close(fd);
  }
  ::execve(argv[0], argv, envp);
  ::_exit(127);
}

ExitStatus status_from(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) {
    status.exited = true;
    status.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (exited) return "exit code " + std::to_string(code);
  return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

std::vector<std::string> child_environment(const std::filesystem::path& home) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.starts_with("BULWARK_PASSPHRASE=") || text.starts_with("XDG_DATA_HOME=") ||
        text.starts_with("HOME=")) {
      continue;
    }
    env.emplace_back(text);
  }
  env.push_back("HOME=" + home.string());
  return env;
}

Process::Process(SpawnOptions options) {
  if (options.argv.empty()) throw std::invalid_argument("Process: empty argv");
  for (const auto& arg : options.argv) command_ += (command_.empty() ? "" : " ") + arg;
  ignore_sigpipe();

  std::array<int, 2> pipe_fds{-1, -1};
  int in = -1;
  if (options.stdin_pipe) {
    if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw std::runtime_error(errno_text("pipe2"));
    in = pipe_fds[0];
  } else {
    in = open_or_throw(options.stdin_file.value_or("/dev/null"), O_RDONLY);
  }
  int out = open_or_throw(options.stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
  int err = open_or_throw(options.stderr_file, O_WRONLY | O_CREAT | O_TRUNC);

  std::vector<char*> argv;
  for (auto& arg : options.argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : options.env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) exec_child(parent, in, out, err, argv.data(), envp.data());
  const int fork_errno = errno;
  ::close(in);
  ::close(out);
  ::close(err);
  if (pid_ < 0) {
    if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
    errno = fork_errno;
    throw std::runtime_error(errno_text("fork"));
  }
  stdin_fd_ = pipe_fds[1];
  if (stdin_fd_ >= 0) {
    int flags = ::fcntl(stdin_fd_, F_GETFL);
    ::fcntl(stdin_fd_, F_SETFL, flags | O_NONBLOCK);
  }
}

Process::~Process() {
  close_stdin();
  try {
    if (!status_) kill_and_wait();
  } catch (const std::exception&) {  // a destructor must not throw; the child is gone anyway
  }
}

void Process::write_stdin(std::string_view data, std::chrono::milliseconds timeout) {
  if (stdin_fd_ < 0) throw std::logic_error("write_stdin without a stdin pipe");
  const auto deadline = SteadyClock::now() + timeout;
  while (!data.empty()) {
    ssize_t n = ::write(stdin_fd_, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      throw std::runtime_error(errno_text("write to the stdin of " + command_));
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) throw std::runtime_error(command_ + " stopped reading its stdin");
    pollfd fd{stdin_fd_, POLLOUT, 0};
    ::poll(&fd, 1, static_cast<int>(left.count()));
  }
}

void Process::close_stdin() {
  if (stdin_fd_ >= 0) ::close(std::exchange(stdin_fd_, -1));
}

void Process::send_signal(int signal) {
  if (!status_ && pid_ > 0) ::kill(pid_, signal);
}

std::optional<ExitStatus> Process::try_wait() {
  if (status_) return status_;
  int raw = 0;
  pid_t reaped = ::waitpid(pid_, &raw, WNOHANG);
  if (reaped == pid_) status_ = status_from(raw);
  if (reaped < 0 && errno != EINTR) throw std::runtime_error(errno_text("waitpid"));
  return status_;
}

std::optional<ExitStatus> Process::wait_for(std::chrono::milliseconds timeout) {
  (void)poll_until(timeout, [&] { return try_wait().has_value(); });
  return status_;
}

ExitStatus Process::kill_and_wait() {
  if (status_) return *status_;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  pid_t reaped = -1;
  while ((reaped = ::waitpid(pid_, &raw, 0)) < 0 && errno == EINTR) {
  }
  if (reaped != pid_) throw std::runtime_error(errno_text("waitpid after SIGKILL"));
  status_ = status_from(raw);
  return *status_;
}

}  // namespace bulwark::e2e
