#include "support/groups.h"

#include <chrono>

namespace bulwark::e2e {

CliResult group(const Account& account, const std::vector<std::string>& args) {
  std::vector<std::string> full{"group"};
  full.insert(full.end(), args.begin(), args.end());
  return account.cli.run(full);
}

nlohmann::json create_group(const Account& owner, const std::string& name) {
  CliResult created = group(owner, {"create", name});
  require(created.exit_code() == 0, "group create " + name + " failed", created.describe());
  auto lines = created.of_type("group_created");
  require(lines.size() == 1, "group create printed no group_created line", created.describe());
  return lines[0];
}

std::vector<nlohmann::json> receive_group_events(const Account& account, std::size_t expect,
                                                 int exit_code) {
  std::vector<nlohmann::json> events;
  // Each round is bounded by receive's own idle timeout; the deadline bounds the rounds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {
    CliResult result = account.cli.run({"receive", "--timeout", "1"});
    require(result.exit_code() == exit_code,
            "receive for " + account.phone + " exited otherwise than expected", result.describe());
    for (auto& line : result.json()) {
      if (line.value("type", "").rfind("group_", 0) == 0) events.push_back(std::move(line));
    }
  } while (events.size() < expect && std::chrono::steady_clock::now() < deadline);
  return events;
}

std::vector<nlohmann::json> events_of_type(const std::vector<nlohmann::json>& events,
                                           const std::string& type) {
  std::vector<nlohmann::json> matching;
  for (const auto& event : events) {
    if (event.value("type", "") == type) matching.push_back(event);
  }
  return matching;
}

std::string account_id_of(const Account& account) {
  CliResult who = account.cli.run({"whoami"});
  require(who.exit_code() == 0, "whoami failed", who.describe());
  auto info = who.of_type("account");
  require(info.size() == 1, "whoami printed no account", who.describe());
  return info[0].value("account_id", "");
}

}  // namespace bulwark::e2e
