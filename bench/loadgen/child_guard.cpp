#include "child_guard.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <array>
#include <atomic>

namespace bulwark::loadgen {
namespace {

std::array<std::atomic<pid_t>, 64> guarded{};
// Set once before the handlers are installed; the handler only reads it.
const char* program_name = "bulwark-loadgen";

void write_text(const char* text) {
  std::size_t size = 0;
  while (text[size] != '\0') ++size;
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, text, size);
}

extern "C" void on_fatal_signal(int signal) {
  for (auto& pid : guarded) {
    const pid_t child = pid.load();
    if (child > 0) ::kill(child, SIGKILL);
  }
  write_text("\n");
  write_text(program_name);
  write_text(signal == SIGALRM ? ": time limit reached; killed the server\n"
                               : ": interrupted; killed the server\n");
  ::_exit(signal == SIGALRM ? 4 : 3);
}

}  // namespace

void install_child_guard(unsigned time_limit_seconds, const char* program) {
  program_name = program;
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGSEGV, SIGABRT, SIGBUS, SIGFPE})
    ::sigaction(signal, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  ::alarm(time_limit_seconds);
}

void guard_child(pid_t pid) {
  for (auto& slot : guarded) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void unguard_child(pid_t pid) {
  for (auto& slot : guarded) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

bool become_guarded_child(pid_t parent) {
  for (auto& slot : guarded) slot.store(0);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGPIPE})
    ::signal(signal, SIG_DFL);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  return ::getppid() == parent;
}

}  // namespace bulwark::loadgen
