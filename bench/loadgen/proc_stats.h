// What the benchmark reads about processes and the kernel: a process's CPU time (all its
// threads: /proc/PID/stat utime + stime), its resident memory (/proc/PID/status VmRSS), the
// kernel's TCP socket memory (/proc/net/sockstat, both ends of every loopback connection),
// and this process's own CPU time (getrusage).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace bulwark::loadgen {

// Seconds of CPU (user + system) used by every thread of `pid`; nullopt once it is gone.
[[nodiscard]] std::optional<double> process_cpu_seconds(pid_t pid);
[[nodiscard]] std::optional<std::uint64_t> process_rss_kib(pid_t pid);
// Seconds the threads of `pid` spent runnable but not running (/proc/PID/task/*/schedstat):
// waiting for their CPU, held by a sibling thread or by another process.
[[nodiscard]] double process_runqueue_wait_seconds(pid_t pid);
// Seconds the threads of `pid` ran (/proc/PID/task/*/schedstat): nanosecond resolution, where
// /proc/PID/stat counts whole clock ticks, too coarse for windows of a few milliseconds.
[[nodiscard]] double process_on_cpu_seconds(pid_t pid);
// Bytes `pid` has caused to be sent to storage (/proc/PID/io write_bytes: page cache
// writeback it dirtied, WAL appends and checkpoints alike); 0 when unreadable.
[[nodiscard]] std::uint64_t process_disk_write_bytes(pid_t pid);
// The soft RLIMIT_NOFILE of `pid` (from /proc/PID/limits).
[[nodiscard]] std::optional<std::uint64_t> process_open_files_limit(pid_t pid);

struct SockStat {
  std::uint64_t tcp_inuse = 0;
  std::uint64_t tcp_mem_pages = 0;  // pages of socket buffers, all TCP sockets
};
[[nodiscard]] SockStat read_sockstat();

// Seconds CPU `cpu` was busy (not idle, not waiting for I/O) since boot, from /proc/stat:
// whoever ran on it.
[[nodiscard]] double cpu_busy_seconds(int cpu);

// This process (not its children): user + system seconds.
[[nodiscard]] double self_cpu_seconds();

// Raises this process's soft RLIMIT_NOFILE to its hard limit; returns the new soft limit.
std::uint64_t raise_open_files_limit();

}  // namespace bulwark::loadgen
