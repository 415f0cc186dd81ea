#include "idle.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "child_guard.h"
#include "idle_worker.h"
#include "proc_stats.h"

namespace bulwark::loadgen {
namespace {

constexpr auto settle_time = std::chrono::milliseconds(1500);
constexpr int reply_timeout_ms = 90'000;

struct Worker {
  pid_t pid = -1;
  int command_fd = -1;
  int reply_fd = -1;
  std::size_t begin = 0, end = 0;
  std::size_t ready = 0, failed = 0;
  std::string failure;
};

bool send_line(const Worker& worker, const std::string& line) {
  const std::string text = line + "\n";
  return ::write(worker.command_fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Reads "ok READY FAILED REASON" from the worker.
bool read_reply(Worker& worker) {
  std::string text;
  char c = 0;
  while (text.empty() || text.back() != '\n') {
    pollfd wait{worker.reply_fd, POLLIN, 0};
    if (::poll(&wait, 1, reply_timeout_ms) <= 0) return false;
    if (::read(worker.reply_fd, &c, 1) != 1) return false;
    text.push_back(c);
  }
  std::istringstream fields(text);
  std::string ok;
  fields >> ok >> worker.ready >> worker.failed;
  std::getline(fields, worker.failure);
  return ok == "ok";
}

Worker fork_worker(const TlsClientContext& tls, const ServerAddress& server,
                   const std::vector<DeviceCredentials>& devices, std::size_t begin,
                   std::size_t end) {
  int commands[2], replies[2];
  if (::pipe2(commands, O_CLOEXEC) != 0 || ::pipe2(replies, O_CLOEXEC) != 0) return {};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!become_guarded_child(parent)) ::_exit(1);
    ::close(commands[1]);
    ::close(replies[0]);
    idle_worker_main(tls, server, devices, begin, end, commands[0], replies[1]);
  }
  ::close(commands[0]);
  ::close(replies[1]);
  Worker worker;
  worker.pid = pid;
  worker.command_fd = commands[1];
  worker.reply_fd = replies[0];
  worker.begin = begin;
  worker.end = end;
  if (pid > 0) guard_child(pid);
  return worker;
}

void stop_workers(std::vector<Worker>& workers) {
  for (Worker& worker : workers) {
    if (worker.pid <= 0) continue;
    send_line(worker, "exit");
    ::close(worker.command_fd);
    ::close(worker.reply_fd);
  }
  for (Worker& worker : workers) {
    if (worker.pid <= 0) continue;
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (::waitpid(worker.pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(worker.pid, SIGKILL);
        ::waitpid(worker.pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    unguard_child(worker.pid);
  }
}

IdleSample sample(pid_t server_pid, const std::vector<Worker>& workers, std::size_t connections,
                  Clock::time_point started) {
  IdleSample out;
  for (const Worker& worker : workers) {
    if (worker.pid <= 0) continue;
    out.generator_rss_kib += process_rss_kib(worker.pid).value_or(0);
    out.generator_cpu_seconds += process_cpu_seconds(worker.pid).value_or(0);
  }
  out.connections = connections;
  out.server_rss_kib = process_rss_kib(server_pid).value_or(0);
  const SockStat sockets = read_sockstat();
  out.tcp_mem_pages = sockets.tcp_mem_pages;
  out.tcp_inuse = sockets.tcp_inuse;
  out.server_cpu_seconds = process_cpu_seconds(server_pid).value_or(0);
  out.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return out;
}

}  // namespace

double IdleResult::slope_kib_per_connection() const {
  if (samples.size() < 2) return 0;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const IdleSample& s : samples) {
    const double x = static_cast<double>(s.connections);
    const double y = static_cast<double>(s.server_rss_kib);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double denominator = n * sxx - sx * sx;
  return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
}

double IdleResult::end_to_end_kib_per_connection() const {
  if (samples.size() < 2 || samples.back().connections == 0) return 0;
  return (static_cast<double>(samples.back().server_rss_kib) -
          static_cast<double>(samples.front().server_rss_kib)) /
         static_cast<double>(samples.back().connections);
}

double IdleResult::generator_kib_per_connection() const {
  if (samples.size() < 2 || samples.back().connections == 0) return 0;
  return (static_cast<double>(samples.back().generator_rss_kib) -
          static_cast<double>(samples.front().generator_rss_kib)) /
         static_cast<double>(samples.back().connections);
}

IdleResult run_idle(const TlsClientContext& tls, const ServerAddress& server,
                    const std::vector<DeviceCredentials>& devices, std::size_t count,
                    std::size_t steps, std::size_t per_worker, pid_t server_pid) {
  IdleResult result;
  result.requested = count;
  const Clock::time_point started = Clock::now();
  std::vector<Worker> workers;
  for (std::size_t begin = 0; begin < count; begin += per_worker)
    workers.push_back(
        fork_worker(tls, server, devices, begin, std::min(count, begin + per_worker)));
  result.workers = workers.size();
  result.samples.push_back(sample(server_pid, workers, 0, started));
  bool healthy = true;
  for (std::size_t step = 1; step <= steps && healthy; ++step) {
    const Clock::time_point step_start = Clock::now();
    for (Worker& worker : workers) {
      const std::size_t size = worker.end - worker.begin;
      const std::size_t open = size * step / steps - size * (step - 1) / steps;
      healthy = healthy && worker.pid > 0 && send_line(worker, "open " + std::to_string(open));
    }
    std::size_t ready = 0;
    result.failed = 0;
    for (Worker& worker : workers) {
      if (!healthy || !read_reply(worker)) {
        healthy = false;
        result.first_failure = "an idle-connection worker stopped answering";
        break;
      }
      ready += worker.ready;
      result.failed += worker.failed;
      if (result.first_failure.empty() && worker.failed > 0) result.first_failure = worker.failure;
    }
    result.connect_seconds += std::chrono::duration<double>(Clock::now() - step_start).count();
    std::this_thread::sleep_for(settle_time);
    result.samples.push_back(sample(server_pid, workers, ready, started));
  }
  stop_workers(workers);
  // The server notices the closed sockets at once; give it a moment to free them.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  const std::uint64_t sockets_before = result.samples.front().tcp_inuse;
  while (Clock::now() < deadline && read_sockstat().tcp_inuse > sockets_before + 50)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  result.rss_after_close_kib = process_rss_kib(server_pid).value_or(0);
  return result;
}

}  // namespace bulwark::loadgen
