#include "window_cost.h"

#include <unistd.h>

#include <chrono>

#include "proc_stats.h"

namespace bulwark::loadgen {

CostSnapshot snapshot(pid_t server, int server_cpu) {
  return {Clock::now(),
          process_cpu_seconds(server).value_or(0),
          self_cpu_seconds(),
          process_runqueue_wait_seconds(server),
          process_runqueue_wait_seconds(::getpid()),
          cpu_busy_seconds(server_cpu),
          static_cast<double>(process_disk_write_bytes(server))};
}

WindowCost cost_between(const CostSnapshot& from, const CostSnapshot& to) {
  return {std::chrono::duration<double>(to.at - from.at).count(),
          to.server - from.server,
          to.generator - from.generator,
          to.server_wait - from.server_wait,
          to.generator_wait - from.generator_wait,
          to.server_cpu_busy - from.server_cpu_busy,
          to.server_disk_writes - from.server_disk_writes};
}

}  // namespace bulwark::loadgen
