#include "support/kt.h"

#include "support/https_get.h"
#include "support/wait.h"

namespace bulwark::e2e {

ServerOptions kt_server_options(const std::vector<std::string>& witnesses, int quorum) {
  std::string toml = "[transparency]\nepoch_ms = " + std::to_string(test_epoch_ms) + "\n";
  toml += "witnesses = [";
  for (std::size_t i = 0; i < witnesses.size(); ++i) {
    toml += (i ? ", \"" : "\"") + witnesses[i] + "\"";
  }
  toml += "]\nquorum = " + std::to_string(quorum) + "\n";
  ServerOptions options;
  options.config_toml = toml;
  return options;
}

std::vector<nlohmann::json> kt_alerts(const CliResult& result) { return result.of_type("kt_alert"); }

bool alerted(const CliResult& result, const std::string& kind) {
  if (result.exit_code() != 4) return false;
  if (result.err.find("KEY TRANSPARENCY ALERT") == std::string::npos) return false;
  for (const auto& alert : kt_alerts(result)) {
    if (alert.value("kind", "") == kind) return true;
  }
  return false;
}

CliResult keys_verify(const Account& account, const std::string& server_url) {
  if (server_url.empty()) return account.cli.run({"keys", "verify"});
  return account.cli.run({"--server", server_url, "keys", "verify"});
}

std::uint64_t checkpoint_size(const ServerProcess& server) {
  const HttpResult result = https_get(server.port(), server.ca_file(), "/v1/kt/checkpoint");
  if (result.status != 200) return 0;
  const auto first = result.body.find('\n');
  const auto second = result.body.find('\n', first + 1);
  if (first == std::string::npos || second == std::string::npos) return 0;
  return std::stoull(result.body.substr(first + 1, second - first - 1));
}

void wait_for_log_beyond(const ServerProcess& server, std::uint64_t size) {
  require(poll_until(std::chrono::seconds(20), [&] { return checkpoint_size(server) > size; }),
          "the server's KT log did not grow past " + std::to_string(size), server.log_text());
}

}  // namespace bulwark::e2e
