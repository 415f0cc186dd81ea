// The daemon's JSON-RPC 2.0 methods (docs/CLI.md): send, whoami, contacts, safety_number,
// trust, set_username, and the group.* methods (cli/daemon_group_methods.h). Errors carry the
// CLI's exit code in data.exit_code.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "client/client.h"

namespace bulwark::cli {

// One request line in, one response object out (parse errors included).
[[nodiscard]] nlohmann::json handle_rpc_line(client::Client& client, std::string_view line);
[[nodiscard]] nlohmann::json rpc_error(const nlohmann::json& id, int code, const std::string& message,
                                       int exit_code = 1);

}  // namespace bulwark::cli
