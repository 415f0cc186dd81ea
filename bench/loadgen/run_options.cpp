#include "run_options.h"

#include <CLI/CLI.hpp>

namespace bulwark::loadgen {

void add_placement_options(CLI::App& app, const PlacementFields& fields,
                           const std::string& generator_cpu_flag, const std::string& fifo_phases) {
  app.add_option("--server-threads", fields.server_threads, "the server's --threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--server-cpu", fields.server_cpu, "CPU the server is pinned to")
      ->capture_default_str();
  app.add_option(generator_cpu_flag, fields.generator_cpu, "CPU the generator is pinned to")
      ->capture_default_str();
  app.add_option("--nice", fields.nice,
                 "nice value of generator and server (needs privilege below 0; 0 to leave as is)")
      ->capture_default_str()
      ->check(CLI::Range(-20, 19));
  app.add_option("--generator-fifo", fields.generator_fifo,
                 "run the generator SCHED_FIFO during " + fifo_phases + " (true/false)")
      ->capture_default_str();
  app.add_option("--registration-concurrency", fields.registration_concurrency,
                 "registrations in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
}

void add_work_dir_options(CLI::App& app, std::string& work_dir, bool& keep_work_dir,
                          const std::string& prefix) {
  app.add_option("--work-dir", work_dir,
                 "server data, config, codes and log (default: a new /tmp/" + prefix + "-*)");
  app.add_flag("--keep-work-dir", keep_work_dir, "do not delete the work directory");
}

}  // namespace bulwark::loadgen
