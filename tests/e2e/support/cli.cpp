#include "support/cli.h"

#include <atomic>
#include <sstream>
#include <stdexcept>

#include "support/temp_dir.h"

#ifndef BULWARK_CLI_BIN
#error "BULWARK_CLI_BIN must be the path of bulwark"
#endif

namespace bulwark::e2e {

namespace fs = std::filesystem;

namespace {

// Names for captured output, unique within the test process.
std::string next_capture_name() {
  static std::atomic<int> counter{0};
  return "cli-" + std::to_string(counter++);
}

}  // namespace

std::vector<nlohmann::json> CliResult::json() const {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded()) {
      throw std::runtime_error("not a JSON line: " + line + "\n" + describe());
    }
    lines.push_back(std::move(parsed));
  }
  return lines;
}

std::vector<nlohmann::json> CliResult::of_type(const std::string& type) const {
  std::vector<nlohmann::json> matching;
  for (auto& line : json()) {
    if (line.is_object() && line.value("type", "") == type) matching.push_back(line);
  }
  return matching;
}

std::string CliResult::describe() const {
  std::string text = "$ " + command + "\n-> " + status.describe() +
                     (timed_out ? " (killed after its deadline)" : "") + "\n";
  auto clip = [](const std::string& s) {
    return s.size() <= 3000 ? s : s.substr(0, 3000) + "...[" + std::to_string(s.size()) + " bytes]";
  };
  text += "stdout:\n" + clip(out) + "\nstderr:\n" + clip(err) + "\n";
  return text;
}

CliProcess::CliProcess(std::unique_ptr<Process> process, fs::path out, fs::path err)
    : process_(std::move(process)), out_(std::move(out)), err_(std::move(err)) {}

std::string CliProcess::out() const { return read_file(out_); }
std::string CliProcess::err() const { return read_file(err_); }

CliResult CliProcess::finish(std::chrono::milliseconds timeout) {
  CliResult result;
  result.command = process_->command();
  auto status = process_->wait_for(timeout);
  if (!status) {
    result.timed_out = true;
    status = process_->kill_and_wait();
  }
  result.status = *status;
  result.out = out();
  result.err = err();
  return result;
}

Cli::Cli(fs::path data_dir, fs::path work_dir)
    : data_dir_(std::move(data_dir)), work_dir_(std::move(work_dir)) {
  fs::create_directories(work_dir_);
}

SpawnOptions Cli::spawn_options(const std::vector<std::string>& args) const {
  SpawnOptions spawn;
  spawn.argv = {BULWARK_CLI_BIN, "--data-dir", data_dir_.string(), "--output", "json",
                "--timeout",     "10"};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.env = child_environment(work_dir_);
  std::string name = next_capture_name();
  spawn.stdout_file = work_dir_ / (name + ".out");
  spawn.stderr_file = work_dir_ / (name + ".err");
  return spawn;
}

CliResult Cli::run(const std::vector<std::string>& args, RunOptions options) const {
  SpawnOptions spawn = spawn_options(args);
  if (options.stdin_text) {
    fs::path in = spawn.stdout_file;
    in.replace_extension(".in");
    write_file(in, *options.stdin_text);
    spawn.stdin_file = in;
  }
  fs::path out = spawn.stdout_file;
  fs::path err = spawn.stderr_file;
  CliProcess process(std::make_unique<Process>(std::move(spawn)), out, err);
  return process.finish(options.timeout);
}

std::unique_ptr<CliProcess> Cli::start(const std::vector<std::string>& args,
                                       bool stdin_pipe) const {
  SpawnOptions spawn = spawn_options(args);
  spawn.stdin_pipe = stdin_pipe;
  fs::path out = spawn.stdout_file;
  fs::path err = spawn.stderr_file;
  return std::make_unique<CliProcess>(std::make_unique<Process>(std::move(spawn)), out, err);
}

}  // namespace bulwark::e2e
