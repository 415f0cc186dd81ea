// Lawful requests for the e2e tests (issue 8): operators' keys made with `bulwark-admin lawful
// keygen`, the server's [lawful] configuration, `bulwark-admin lawful ...` as one operator and
// `bulwark-admin transparency verify` as an outside auditor, always in json output mode.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace bulwark::e2e {

struct LawfulOperator {
  std::string name;
  std::filesystem::path key_file;
  std::string public_key;  // base64, as [[lawful.operator]] lists it
  std::filesystem::path work_dir;
};

// `lawful keygen --out DIR/NAME.key`, expected to succeed.
[[nodiscard]] LawfulOperator make_lawful_operator(const TempDir& tmp, const std::string& name);
// The server's [lawful] section: `approvals` per release, the disclosure log's witnesses
// (cosigner vkeys) of which `quorum` must cosign before a release, and the operators.
[[nodiscard]] std::string lawful_toml(const std::vector<LawfulOperator>& operators, int approvals,
                                      const std::vector<std::string>& witnesses, int quorum);
// The server as bulwark-admin names it: https://127.0.0.1:PORT.
[[nodiscard]] std::string admin_url(const ServerProcess& server);
// `lawful ARGS... --server URL --ca-file PEM --name NAME --key FILE`.
[[nodiscard]] CliResult run_lawful(const LawfulOperator& by, const ServerProcess& server,
                                   const std::vector<std::string>& args);
// `transparency verify --server URL --ca-file PEM ARGS...`, its output kept under `work_dir`.
[[nodiscard]] CliResult transparency_verify(const std::filesystem::path& work_dir,
                                            const ServerProcess& server,
                                            const std::vector<std::string>& args);
// The disclosure log's key, from the server's start-up line ("... disclosure log ORIGIN
// (N entries) signed by VKEY; ..."). Throws when the log has no such line.
[[nodiscard]] std::string disclosure_log_vkey_from(const std::string& server_log);

}  // namespace bulwark::e2e
