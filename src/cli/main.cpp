// bulwark: the command-line messenger (docs/CLI.md). Global options come before the command:
//   bulwark [--server URL] [--ca-file PEM] [--data-dir DIR] [--account PHONE] [--output text|json]
//           COMMAND ...
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/alerts.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace bulwark::cli;
  CLI::App app{"bulwark: end-to-end encrypted messaging from the command line"};
  app.require_subcommand(1);
  GlobalOptions options;
  app.add_option("--server", options.server, "server URL, e.g. wss://127.0.0.1:8443 (saved at registration)");
  app.add_option("--ca-file", options.ca_file, "trust exactly the certificate(s) in this PEM file (saved at registration)");
  app.add_option("--data-dir", options.data_dir, "where accounts live (default $XDG_DATA_HOME/bulwark)");
  app.add_option("-a,--account", options.account, "which account (its phone number) when there are several");
  app.add_option("--key-file", options.key_file, "32-byte key file for the local database (mode 0600)");
  // The last --output wins, so that a wrapper's default (a script's --output json) can be
  // overridden by what follows it.
  app.add_option("-o,--output", options.output, "text or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--timeout", options.timeout_seconds, "seconds to wait for the server (default 15)")
      ->check(CLI::Range(0.1, 3600.0));

  Commands commands;
  add_registration_commands(app, commands);
  add_account_commands(app, commands);
  add_send_command(app, commands);
  add_receive_command(app, commands);
  add_report_command(app, commands);
  add_chat_command(app, commands);
  add_trust_commands(app, commands);
  add_keys_commands(app, commands);
  add_channel_commands(app, commands);
  add_group_commands(app, commands);
  add_notices_commands(app, commands);
  add_daemon_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? exit_ok : exit_usage;
  }
  Output output(options.output == "json");
  for (const Command& command : commands) {
    if (command.app->parsed()) return report_alerts(output, command.run(options, output));
  }
  return exit_usage;
}
