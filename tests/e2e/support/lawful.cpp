#include "support/lawful.h"

#include <stdexcept>

#include "support/admin.h"

namespace bulwark::e2e {

namespace fs = std::filesystem;

LawfulOperator make_lawful_operator(const TempDir& tmp, const std::string& name) {
  LawfulOperator person;
  person.name = name;
  person.work_dir = tmp.path() / ("operator-" + name);
  fs::create_directories(person.work_dir);
  person.key_file = person.work_dir / (name + ".key");
  CliResult made =
      run_admin(person.work_dir, {"lawful", "keygen", "--out", person.key_file.string()});
  auto lines = made.of_type("operator_key");
  if (made.exit_code() != 0 || lines.size() != 1)
    throw std::runtime_error("lawful keygen failed\n" + made.describe());
  person.public_key = lines[0]["public_key"].get<std::string>();
  return person;
}

std::string lawful_toml(const std::vector<LawfulOperator>& operators, int approvals,
                        const std::vector<std::string>& witnesses, int quorum) {
  std::string toml = "[lawful]\napprovals = " + std::to_string(approvals) + "\nwitnesses = [";
  for (std::size_t i = 0; i < witnesses.size(); ++i)
    toml += (i ? ", \"" : "\"") + witnesses[i] + "\"";
  toml += "]\nquorum = " + std::to_string(quorum) + "\n";
  for (const LawfulOperator& person : operators)
    toml += "[[lawful.operator]]\nname = \"" + person.name + "\"\nkey = \"" + person.public_key +
            "\"\n";
  return toml;
}

std::string admin_url(const ServerProcess& server) {
  return "https://127.0.0.1:" + std::to_string(server.port());
}

CliResult run_lawful(const LawfulOperator& by, const ServerProcess& server,
                     const std::vector<std::string>& args) {
  std::vector<std::string> argv{"lawful"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--server", admin_url(server), "--ca-file", server.ca_file().string(),
                           "--name", by.name, "--key", by.key_file.string()});
  return run_admin(by.work_dir, argv);
}

CliResult transparency_verify(const fs::path& work_dir, const ServerProcess& server,
                              const std::vector<std::string>& args) {
  std::vector<std::string> argv{"transparency",    "verify",    "--server",
                                admin_url(server), "--ca-file", server.ca_file().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_admin(work_dir, argv);
}

std::string disclosure_log_vkey_from(const std::string& server_log) {
  constexpr std::string_view line = "lawful requests: ";
  constexpr std::string_view marker = "signed by ";
  const auto start = server_log.find(line);
  const auto at = start == std::string::npos ? start : server_log.find(marker, start);
  if (at == std::string::npos)
    throw std::runtime_error("the server log names no disclosure log key");
  const auto key = at + marker.size();
  return server_log.substr(key, server_log.find(';', key) - key);
}

}  // namespace bulwark::e2e
