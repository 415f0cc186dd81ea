// What a measured window cost, and who else used the server's CPU meanwhile: snapshots of
// /proc (proc_stats.h) at both ends of the window, subtracted.
#pragma once

#include <sys/types.h>

#include "event_loop.h"

namespace bulwark::loadgen {

struct WindowCost {
  double wall_seconds = 0;
  double server_cpu_seconds = 0;     // every server thread, /proc/PID/stat
  double generator_cpu_seconds = 0;  // this process
  double server_wait_seconds = 0;    // server threads runnable but not running
  double generator_wait_seconds = 0;
  double server_cpu_busy_seconds = 0;  // the server's CPU, busy with anything
  double server_disk_write_bytes = 0;  // /proc/PID/io write_bytes
};

struct CostSnapshot {
  Clock::time_point at;
  double server = 0, generator = 0;
  double server_wait = 0, generator_wait = 0;
  double server_cpu_busy = 0;
  double server_disk_writes = 0;
};

// `server_cpu` is the CPU the server is pinned to (its busy time is read).
[[nodiscard]] CostSnapshot snapshot(pid_t server, int server_cpu);
[[nodiscard]] WindowCost cost_between(const CostSnapshot& from, const CostSnapshot& to);

}  // namespace bulwark::loadgen
