#include "proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bulwark::loadgen {

std::optional<double> process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // Field 2 (comm) may hold spaces: parse after its closing parenthesis.
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After comm: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime(14) stime(15).
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return static_cast<double>(utime + stime) / ticks;
}

namespace {

std::optional<std::uint64_t> status_field_kib(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      std::istringstream value(line.substr(name.size() + 1));
      std::uint64_t kib = 0;
      value >> kib;
      return kib;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> process_rss_kib(pid_t pid) { return status_field_kib(pid, "VmRSS"); }

namespace {

// Nanoseconds on the CPU and waiting for it, summed over the threads of `pid`.
struct SchedStat {
  double running_seconds = 0;
  double waiting_seconds = 0;
};

SchedStat sched_stat(pid_t pid) {
  std::error_code error;
  SchedStat total;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
    std::ifstream in(task.path() / "schedstat");
    unsigned long long running = 0, waiting = 0;
    if (in >> running >> waiting) {
      total.running_seconds += static_cast<double>(running) / 1e9;
      total.waiting_seconds += static_cast<double>(waiting) / 1e9;
    }
  }
  return total;
}

}  // namespace

double process_runqueue_wait_seconds(pid_t pid) { return sched_stat(pid).waiting_seconds; }

double process_on_cpu_seconds(pid_t pid) { return sched_stat(pid).running_seconds; }

std::optional<std::uint64_t> process_open_files_limit(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream value(line.substr(14));
      std::uint64_t soft = 0;
      if (value >> soft) return soft;
    }
  }
  return std::nullopt;
}

SockStat read_sockstat() {
  SockStat out;
  std::ifstream in("/proc/net/sockstat");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    std::istringstream fields(line.substr(4));
    std::string key;
    std::uint64_t value = 0;
    while (fields >> key >> value) {
      if (key == "inuse") out.tcp_inuse = value;
      if (key == "mem") out.tcp_mem_pages = value;
    }
  }
  return out;
}

std::uint64_t process_disk_write_bytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/io");
  std::string key;
  std::uint64_t value = 0;
  while (in >> key >> value) {
    if (key == "write_bytes:") return value;
  }
  return 0;
}

double cpu_busy_seconds(int cpu) {
  std::ifstream in("/proc/stat");
  const std::string name = "cpu" + std::to_string(cpu);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string label;
    fields >> label;
    if (label != name) continue;
    unsigned long long value = 0, busy = 0;
    for (int index = 0; fields >> value; ++index) {
      if (index != 3 && index != 4) busy += value;  // 3: idle, 4: iowait
    }
    return static_cast<double>(busy) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return 0;
}

double self_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::uint64_t raise_open_files_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

}  // namespace bulwark::loadgen
