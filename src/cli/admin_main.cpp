// bulwark-admin: the operator's tool (DESIGN.md "The parts"): public-content moderation, lawful
// requests and the disclosure log's verification.
//   bulwark-admin [--output text|json] moderation keygen --out FILE
//   bulwark-admin moderation queue|show ID|act ID --action A --reason R|log
//                 --server https://HOST:PORT [--ca-file PEM] --name NAME --key FILE
//   bulwark-admin lawful keygen --out FILE
//   bulwark-admin lawful authorities add NAME --jurisdiction J --anchor PEM [--crl PEM]|list
//   bulwark-admin lawful submit ORDER.json ORDER.sig|list|show ID|approve ID|refuse ID --reason R|
//                 release ID --out FILE  --server https://HOST:PORT [--ca-file PEM] --name NAME
//                 --key FILE
//   bulwark-admin transparency verify --server https://HOST:PORT [--log-key VKEY]
//                 [--witness VKEY]... [--state FILE]
#include <CLI/CLI.hpp>

#include "cli/admin_lawful.h"
#include "cli/admin_moderation.h"

int main(int argc, char** argv) {
  using namespace bulwark::cli;
  CLI::App app{"bulwark-admin: the Bulwark operator's tool"};
  app.require_subcommand(1);
  std::string output = "text";
  app.add_option("-o,--output", output, "text or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  AdminCommands commands;
  add_admin_moderation_commands(app, commands);
  add_admin_lawful_commands(app, commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? exit_ok : exit_usage;
  }
  Output out(output == "json");
  for (const AdminCommand& command : commands)
    if (command.app->parsed()) return command.run(out);
  return exit_usage;
}
