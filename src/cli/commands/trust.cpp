// `bulwark safety-number PEER` and `bulwark trust PEER [--verified]`.
#include "cli/commands.h"

namespace bulwark::cli {
namespace {

struct PeerArgs {
  std::string peer;
  bool verified = false;
};

std::string grouped(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 5 == 0) out += (i % 20 == 0) ? "\n" : " ";
    out += digits[i];
  }
  return out;
}

int run_safety_number(const PeerArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto number = (*session)->client->safety_number(args.peer);
  if (!number) return out.error(number.error());
  nlohmann::json json{{"type", "safety_number"}, {"peer", args.peer}, {"digits", number->digits},
                      {"verified", number->verified}, {"key_changed", number->pending_key_change.has_value()}};
  std::string text = "Safety number with " + args.peer + ":\n" + grouped(number->digits);
  // The checkpoint the peer's keys were proved against: compare it too, to know you both see
  // the same log (docs/KEY-TRANSPARENCY.md).
  if (number->checkpoint) {
    const auto& checkpoint = *number->checkpoint;
    json["checkpoint"] = {{"origin", checkpoint.origin}, {"size", checkpoint.size},
                          {"root", checkpoint.root_hex}, {"cosigned_by", checkpoint.cosigned_by}};
    json["kt_version"] = number->kt_version.value_or(0);
    text += "\nTransparency log: " + checkpoint.origin + " #" + std::to_string(checkpoint.size) +
            " root " + checkpoint.root_hex.substr(0, 16) + "...";
    if (!checkpoint.cosigned_by.empty()) {
      text += " cosigned by";
      for (const auto& witness : checkpoint.cosigned_by) text += " " + witness;
    }
  }
  if (number->pending_key_change) text += "\n! " + *number->pending_key_change;
  out.emit(json, text);
  return number->pending_key_change ? exit_untrusted : exit_ok;
}

int run_trust(const PeerArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto trusted = (*session)->client->trust(args.peer, args.verified);
  if (!trusted) return out.error(trusted.error());
  out.emit({{"type", "trusted"}, {"peer", args.peer}, {"verified", args.verified}},
           "Trusting the current identity key of " + args.peer + (args.verified ? " (verified)." : "."));
  return exit_ok;
}

}  // namespace

void add_trust_commands(CLI::App& app, Commands& commands) {
  auto number = std::make_shared<PeerArgs>();
  CLI::App* safety = app.add_subcommand("safety-number", "show the safety number to compare with PEER");
  safety->add_option("peer", number->peer, "+PHONE, @username or account id")->required();
  commands.push_back({safety, [number](const GlobalOptions& o, const Output& out) { return run_safety_number(*number, o, out); }});
  auto trust = std::make_shared<PeerArgs>();
  CLI::App* trust_app = app.add_subcommand("trust", "accept PEER's current identity key (after a change)");
  trust_app->add_option("peer", trust->peer, "+PHONE, @username or account id")->required();
  trust_app->add_flag("--verified", trust->verified, "you compared the safety number out of band");
  commands.push_back({trust_app, [trust](const GlobalOptions& o, const Output& out) { return run_trust(*trust, o, out); }});
}

}  // namespace bulwark::cli
