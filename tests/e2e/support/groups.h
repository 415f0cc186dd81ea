// MLS group helpers for the e2e tests: `bulwark group ...` for an account, and the group
// events `receive` prints. Setup steps throw std::runtime_error with the command's output when
// they fail; the behaviour under test is asserted in the tests.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/accounts.h"

namespace bulwark::e2e {

// `bulwark group ARGS...`.
[[nodiscard]] CliResult group(const Account& account, const std::vector<std::string>& args);
// `group create NAME`, expected to succeed: its "group_created" line.
nlohmann::json create_group(const Account& owner, const std::string& name);
// Runs `receive` (each must exit `exit_code`) until at least `expect` group events (lines whose
// "type" starts with "group_") arrived, or about 20 s passed; returns them in order.
[[nodiscard]] std::vector<nlohmann::json> receive_group_events(const Account& account,
                                                               std::size_t expect,
                                                               int exit_code = 0);
// The events of `events` whose "type" is `type`.
[[nodiscard]] std::vector<nlohmann::json> events_of_type(const std::vector<nlohmann::json>& events,
                                                         const std::string& type);
// The account id `whoami` reports.
[[nodiscard]] std::string account_id_of(const Account& account);

}  // namespace bulwark::e2e
