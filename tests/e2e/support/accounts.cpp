#include "support/accounts.h"

#include <cstdio>
#include <stdexcept>

namespace bulwark::e2e {

std::string test_phone(int nn) {
  require(nn >= 23 && nn <= 99, "test_phone: 23..99");
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "+120155501%02d", nn);
  return buffer;
}

void require(bool condition, const std::string& what, const std::string& details) {
  if (!condition) throw std::runtime_error(what + (details.empty() ? "" : "\n" + details));
}

Account new_device(const TempDir& tmp, const std::string& name, const std::string& phone) {
  return Account{phone, Cli(tmp.path() / name, tmp.path() / ("work-" + name))};
}

void register_device(Account& account, ServerProcess& server, bool discoverable) {
  CliResult reg = account.cli.run({"--server", server.url(), "--ca-file", server.ca_file().string(),
                                   "register", account.phone});
  require(reg.exit_code() == 0, "register " + account.phone + " failed", reg.describe());
  auto requested = reg.of_type("code_requested");
  require(requested.size() == 1 && requested[0].value("phone", "") == account.phone,
          "register did not report the code request for " + account.phone, reg.describe());
  std::string code = server.next_code(account.phone);
  std::vector<std::string> args{"verify", code};
  if (discoverable) args.push_back("--discoverable");
  CliResult verify = account.cli.run(args);
  require(verify.exit_code() == 0, "verify " + account.phone + " failed", verify.describe());
  auto info = verify.of_type("account");
  require(info.size() == 1 && info[0].value("phone", "") == account.phone,
          "verify did not report the account", verify.describe());
}

Account register_account(const TempDir& tmp, ServerProcess& server, const std::string& name,
                         const std::string& phone, bool discoverable) {
  Account account = new_device(tmp, name, phone);
  register_device(account, server, discoverable);
  return account;
}

CliResult send_message(const Account& from, const std::string& to, const std::string& body) {
  return from.cli.run({"send", "--to", to, "-m", body});
}

std::vector<nlohmann::json> receive_messages(const Account& account, std::size_t expect) {
  std::vector<std::string> args{"receive", "--timeout", "1"};
  if (expect > 0) args = {"receive", "--timeout", "10", "--max-messages", std::to_string(expect)};
  CliResult result = account.cli.run(args);
  require(result.exit_code() == 0, "receive for " + account.phone + " failed", result.describe());
  auto messages = result.of_type("message");
  for (const auto& line : result.json()) {
    std::string type = line.value("type", "");
    require(type == "message", "receive printed a \"" + type + "\" event", result.describe());
  }
  return messages;
}

}  // namespace bulwark::e2e
