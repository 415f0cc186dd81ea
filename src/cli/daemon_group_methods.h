// The daemon's JSON-RPC methods for MLS groups (docs/CLI.md "The daemon"), as the `bulwark
// group` commands: group.create {name}, group.add {group, peer}, group.remove {group, peer},
// group.send {group, message}, group.members {group}, group.leave {group}, group.list.
// Results are the JSON the commands print in json mode, without "type"; errors carry the CLI's
// exit code in data.exit_code.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "client/client.h"

namespace bulwark::cli {

// The response to a group.* method; std::nullopt when `method` is not one.
[[nodiscard]] std::optional<nlohmann::json> call_group_method(client::Client& client,
                                                              const std::string& method,
                                                              const nlohmann::json& params,
                                                              const nlohmann::json& id);

}  // namespace bulwark::cli
