// bulwark-admin for the e2e tests: a moderator's key made with `moderation keygen`, and its
// `moderation ...` commands against a ServerProcess, always in json output mode.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace bulwark::e2e {

struct Moderator {
  std::string name;
  std::filesystem::path key_file;
  std::string public_key;  // base64, as the server's config lists it
  std::filesystem::path work_dir;
};

// `bulwark-admin --output json ARGS...`, output captured under `work_dir`.
[[nodiscard]] CliResult run_admin(const std::filesystem::path& work_dir,
                                  const std::vector<std::string>& args);
// `moderation keygen --out DIR/NAME.key`, expected to succeed.
[[nodiscard]] Moderator make_moderator(const TempDir& tmp, const std::string& name);
// The [[moderation.moderator]] table for the server's config.
[[nodiscard]] std::string moderator_toml(const Moderator& moderator);
// `moderation ARGS... --server URL --ca-file PEM --name NAME --key FILE`.
[[nodiscard]] CliResult moderate(const Moderator& moderator, const ServerProcess& server,
                                 const std::vector<std::string>& args);

}  // namespace bulwark::e2e
