#include "cpu_pinning.h"

#include <sched.h>

#include <cstdio>

namespace bulwark::bench {

void pin_to_one_cpu() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  int cpu = 0;
  while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed)) ++cpu;
  cpu_set_t one;
  CPU_ZERO(&one);
  if (cpu < CPU_SETSIZE) CPU_SET(cpu, &one);
  if (cpu == CPU_SETSIZE || sched_setaffinity(0, sizeof one, &one) != 0) {
    std::printf("warning: could not pin to one CPU; figures are not single-core figures\n");
    return;
  }
  std::printf("Pinned to CPU %d (as `taskset -c %d`); Node runs inherit the pinning.\n", cpu, cpu);
}

}  // namespace bulwark::bench
