#include "isolation.h"

#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "child_guard.h"

namespace bulwark::loadgen {
namespace {

pid_t runner = 0;

extern "C" void forward_signal(int) {
  if (runner > 0) ::kill(runner, SIGTERM);
}

[[noreturn]] void supervise(pid_t child, const std::filesystem::path& cleanup_dir) {
  runner = child;
  struct sigaction action {};
  action.sa_handler = forward_signal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!cleanup_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(cleanup_dir, ignored);
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
}

// In the runner: a session (hence an autogroup) of its own, at `nice`.
std::string raise_priority(int nice) {
  if (::setsid() < 0) return std::string("could not start a session: ") + std::strerror(errno);
  std::string note;
  {
    std::ofstream autogroup("/proc/self/autogroup");
    autogroup << nice;
    autogroup.flush();
    if (!autogroup) note = "could not set the session's autogroup nice; ";
  }
  if (::setpriority(PRIO_PROCESS, 0, nice) != 0)
    return note + "could not set nice " + std::to_string(nice) + " (" + std::strerror(errno) +
           "): other work on this machine may take CPU time from the measured processes";
  return note + "own session, autogroup and process nice " + std::to_string(nice);
}

}  // namespace

std::string start_supervised_run(int nice, const std::filesystem::path& cleanup_dir) {
  std::fflush(stdout);
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) return std::string("could not fork: ") + std::strerror(errno);
  if (child > 0) supervise(child, cleanup_dir);
  become_guarded_child(parent);
  if (nice == 0) return "priority left as it is (--nice 0)";
  return raise_priority(nice);
}

std::string make_generator_realtime() {
  sched_param parameter{};
  parameter.sched_priority = 1;
  if (::sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &parameter) != 0)
    return std::string("generator left at normal scheduling (") + std::strerror(errno) + ")";
  return "generator at SCHED_FIFO priority 1 (the server keeps normal scheduling)";
}

bool pin_to_cpu(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return ::sched_setaffinity(0, sizeof one, &one) == 0;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace bulwark::loadgen
