// Key-transparency helpers for the e2e tests: a server configuration with a fast epoch (and
// optional witnesses), and the checks on what the CLI prints when it finds something wrong.
#pragma once

#include <string>
#include <vector>

#include "support/accounts.h"
#include "support/cli.h"
#include "support/server_process.h"

namespace bulwark::e2e {

inline constexpr int test_epoch_ms = 100;

// A server that publishes a KT entry every 100 ms and requires `quorum` of `witnesses`.
[[nodiscard]] ServerOptions kt_server_options(const std::vector<std::string>& witnesses = {},
                                              int quorum = 0);

// The "kt_alert" events the command printed (json mode).
[[nodiscard]] std::vector<nlohmann::json> kt_alerts(const CliResult& result);
// True when the command exited 4 with a kt_alert of `kind` and the loud warning on stderr.
[[nodiscard]] bool alerted(const CliResult& result, const std::string& kind);

// `keys verify` for the account; `server_url` overrides the saved server.
[[nodiscard]] CliResult keys_verify(const Account& account, const std::string& server_url = "");

// The tree size of the server's newest checkpoint (GET /v1/kt/checkpoint); 0 when none yet.
[[nodiscard]] std::uint64_t checkpoint_size(const ServerProcess& server);
// Waits until the server's log has more than `size` entries.
void wait_for_log_beyond(const ServerProcess& server, std::uint64_t size);

}  // namespace bulwark::e2e
