// Cli: runs the `bulwark` command line for one device (one --data-dir), always in json output
// mode, and captures what it printed. run() waits for the exit within a deadline and SIGKILLs a
// command that overstays it (timed_out is then set, and the test fails on it); start() returns
// the running process, for the daemon and for killing a client mid-operation.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/process.h"

namespace bulwark::e2e {

struct CliResult {
  std::string command;
  ExitStatus status;
  bool timed_out = false;
  std::string out;
  std::string err;

  // The exit code, or -1 when the command did not exit normally.
  [[nodiscard]] int exit_code() const { return status.exited ? status.code : -1; }
  // stdout as JSON lines (throws when a line is not JSON).
  [[nodiscard]] std::vector<nlohmann::json> json() const;
  // The lines whose "type" is `type`.
  [[nodiscard]] std::vector<nlohmann::json> of_type(const std::string& type) const;
  // Everything, for failure messages.
  [[nodiscard]] std::string describe() const;
};

struct RunOptions {
  std::optional<std::string> stdin_text;
  std::chrono::milliseconds timeout{20'000};
};

// A started `bulwark` process with its output files.
class CliProcess {
 public:
  CliProcess(std::unique_ptr<Process> process, std::filesystem::path out,
             std::filesystem::path err);
  [[nodiscard]] Process& process() noexcept { return *process_; }
  [[nodiscard]] std::string out() const;
  [[nodiscard]] std::string err() const;
  // Waits for the exit (SIGKILL after `timeout`) and returns the result.
  [[nodiscard]] CliResult finish(std::chrono::milliseconds timeout);

 private:
  std::unique_ptr<Process> process_;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

class Cli {
 public:
  // `data_dir`: this device's --data-dir; `work_dir`: where captured output goes.
  Cli(std::filesystem::path data_dir, std::filesystem::path work_dir);

  // bulwark --data-dir D --output json --timeout 10 ARGS...
  [[nodiscard]] CliResult run(const std::vector<std::string>& args, RunOptions options = {}) const;
  // The same, started and left running; stdin is a pipe when `stdin_pipe`, else /dev/null.
  [[nodiscard]] std::unique_ptr<CliProcess> start(const std::vector<std::string>& args,
                                                  bool stdin_pipe = false) const;

  [[nodiscard]] const std::filesystem::path& data_dir() const noexcept { return data_dir_; }

 private:
  [[nodiscard]] SpawnOptions spawn_options(const std::vector<std::string>& args) const;

  std::filesystem::path data_dir_;
  std::filesystem::path work_dir_;
};

}  // namespace bulwark::e2e
