// `bulwark keys verify`: this account's entry in the key-transparency log, checked now: the
// signed device list the log shows, the checkpoint it is proved against, and anything
// self-monitoring found (alerts exit with 4, see cli/alerts.h).
#include "cli/commands.h"

namespace bulwark::cli {
namespace {

nlohmann::json checkpoint_json(const client::CheckpointInfo& checkpoint) {
  return {{"origin", checkpoint.origin},
          {"size", checkpoint.size},
          {"root", checkpoint.root_hex},
          {"cosigned_by", checkpoint.cosigned_by}};
}

std::string checkpoint_text(const client::CheckpointInfo& checkpoint) {
  std::string text = checkpoint.origin + " #" + std::to_string(checkpoint.size) + " " +
                     checkpoint.root_hex;
  if (checkpoint.cosigned_by.empty()) return text + " (no witness cosignatures)";
  text += " (cosigned by";
  for (const auto& witness : checkpoint.cosigned_by) text += " " + witness;
  return text + ")";
}

int run_verify(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto report = (*session)->client->verify_keys();
  if (!report) return out.error(report.error());
  nlohmann::json json{{"type", "keys"}, {"account", report->account_id},
                      {"devices", report->devices}, {"alerts", report->alerts.size()}};
  std::string text = "Account " + report->account_id + "\n";
  if (report->version) {
    json["version"] = *report->version;
    text += "  in the transparency log as version " + std::to_string(*report->version) +
            ", devices:";
    for (const std::uint32_t device : report->devices) text += " " + std::to_string(device);
    text += "\n";
  } else {
    json["version"] = nullptr;
    text += "  not in the transparency log yet (published within a few seconds)\n";
  }
  if (report->checkpoint) {
    json["checkpoint"] = checkpoint_json(*report->checkpoint);
    text += "  checkpoint " + checkpoint_text(*report->checkpoint) + "\n";
  }
  text += report->alerts.empty() ? "  OK: the log shows exactly the keys and devices you made"
                                 : "  ALERT: see below";
  out.emit(json, text);
  return exit_ok;  // alerts turn it into exit 4 in main (cli/alerts.h)
}

}  // namespace

void add_keys_commands(CLI::App& app, Commands& commands) {
  CLI::App* keys = app.add_subcommand("keys", "key transparency: your keys as the public log shows them");
  keys->require_subcommand(1);
  CLI::App* verify = keys->add_subcommand("verify", "check your account's entry in the transparency log now");
  commands.push_back({verify, [](const GlobalOptions& o, const Output& out) { return run_verify(o, out); }});
}

}  // namespace bulwark::cli
