// The subcommands of `bulwark`, each registering itself on the CLI11 app and returning the
// process exit code when run. One file per group under commands/.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/output.h"
#include "cli/session.h"

namespace bulwark::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int(const GlobalOptions&, const Output&)> run;
};
using Commands = std::vector<Command>;

void add_registration_commands(CLI::App& app, Commands& commands);  // register, verify
void add_account_commands(CLI::App& app, Commands& commands);       // whoami, set-username, contacts
void add_send_command(CLI::App& app, Commands& commands);
void add_receive_command(CLI::App& app, Commands& commands);
void add_report_command(CLI::App& app, Commands& commands);  // report an encrypted message
void add_chat_command(CLI::App& app, Commands& commands);
void add_trust_commands(CLI::App& app, Commands& commands);  // safety-number, trust
void add_daemon_command(CLI::App& app, Commands& commands);
void add_keys_commands(CLI::App& app, Commands& commands);  // keys verify
// channel create|info|subscribe|unsubscribe|admins, and (under the same `channel` command)
// post|edit|delete|read, which add_channel_commands registers with add_channel_post_commands.
void add_channel_commands(CLI::App& app, Commands& commands);
void add_channel_post_commands(CLI::App& channel, Commands& commands);
// channel report, and the top-level moderation and appeal commands (docs/MODERATION.md).
void add_moderation_commands(CLI::App& app, CLI::App& channel, Commands& commands);
// notices lawful|moderation: what was done about this account - disclosures of its data under
// lawful orders whose non-disclosure periods have ended (docs/LAWFUL.md), and the moderation
// decisions affecting it (as `bulwark moderation`, which run_moderation_notices runs).
void add_notices_commands(CLI::App& app, Commands& commands);
// group create|add|remove|send|members|leave|list: MLS groups (client/groups.h).
void add_group_commands(CLI::App& app, Commands& commands);
// group chat GROUP: `chat` for a group (registered by add_group_commands).
void add_group_chat_command(CLI::App& group, Commands& commands);
[[nodiscard]] int run_moderation_notices(const GlobalOptions& options, const Output& out);

}  // namespace bulwark::cli
