#include "support/admin.h"

#include <atomic>
#include <stdexcept>

#include "support/process.h"

#ifndef BULWARK_ADMIN_BIN
#error "BULWARK_ADMIN_BIN must be the path of bulwark-admin"
#endif

namespace bulwark::e2e {

namespace fs = std::filesystem;

CliResult run_admin(const fs::path& work_dir, const std::vector<std::string>& args) {
  static std::atomic<int> counter{0};
  fs::create_directories(work_dir);
  SpawnOptions spawn;
  spawn.argv = {BULWARK_ADMIN_BIN, "--output", "json"};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.env = child_environment(work_dir);
  const std::string name = "admin-" + std::to_string(counter++);
  spawn.stdout_file = work_dir / (name + ".out");
  spawn.stderr_file = work_dir / (name + ".err");
  const fs::path out = spawn.stdout_file;
  const fs::path err = spawn.stderr_file;
  CliProcess process(std::make_unique<Process>(std::move(spawn)), out, err);
  return process.finish(std::chrono::seconds(20));
}

Moderator make_moderator(const TempDir& tmp, const std::string& name) {
  Moderator moderator;
  moderator.name = name;
  moderator.work_dir = tmp.path() / ("admin-" + name);
  fs::create_directories(moderator.work_dir);
  moderator.key_file = moderator.work_dir / (name + ".key");
  CliResult made = run_admin(moderator.work_dir,
                             {"moderation", "keygen", "--out", moderator.key_file.string()});
  auto lines = made.of_type("moderator_key");
  if (made.exit_code() != 0 || lines.size() != 1)
    throw std::runtime_error("moderation keygen failed\n" + made.describe());
  moderator.public_key = lines[0]["public_key"].get<std::string>();
  return moderator;
}

std::string moderator_toml(const Moderator& moderator) {
  return "[[moderation.moderator]]\nname = \"" + moderator.name + "\"\nkey = \"" +
         moderator.public_key + "\"\n";
}

CliResult moderate(const Moderator& moderator, const ServerProcess& server,
                   const std::vector<std::string>& args) {
  std::vector<std::string> argv{"moderation"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--server", "https://127.0.0.1:" + std::to_string(server.port()),
                           "--ca-file", server.ca_file().string(), "--name", moderator.name,
                           "--key", moderator.key_file.string()});
  return run_admin(moderator.work_dir, argv);
}

}  // namespace bulwark::e2e
