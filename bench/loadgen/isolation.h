// Keeps other work on a shared machine off the measured CPUs' time as far as a benchmark can:
// pinning (sched_setaffinity) and priority. Linux's autogroup scheduling shares a CPU between
// *sessions* first and applies nice values only inside a session, so a plain setpriority()
// does nothing against another terminal's compile jobs. start_supervised_run() therefore runs
// the benchmark (and the server it forks) in a session of its own and sets that session's
// autogroup nice value (/proc/self/autogroup), which lapses when the run ends.
#pragma once

#include <filesystem>
#include <string>

namespace bulwark::loadgen {

// Forks the process that runs the benchmark and returns in it. This process stays behind as
// its supervisor: it forwards SIGINT/SIGTERM/SIGHUP as SIGTERM, and once the runner has ended,
// however it ended, removes `cleanup_dir` (when not empty) and exits with the runner's status.
// The runner starts its own session and sets `nice` (0: no session, priority as it is).
// Returns, in the runner, a note for the report.
std::string start_supervised_run(int nice, const std::filesystem::path& cleanup_dir);

bool pin_to_cpu(int cpu);

// Makes this (single-threaded, never spinning) process SCHED_FIFO priority 1, so that its
// open-loop schedule is not delayed behind other work's time slices on its CPU. Only for the
// generator and only after the server has been forked: the server keeps normal scheduling,
// which is part of what is measured. Returns a note for the report.
std::string make_generator_realtime();

// "1.23 0.98 0.50" from /proc/loadavg.
[[nodiscard]] std::string load_average();

}  // namespace bulwark::loadgen
