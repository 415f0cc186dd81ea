// `bulwark-admin moderation keygen|queue|show|act|log` (docs/MODERATION.md): parsing and
// output only; the signing and the HTTPS requests are client/moderation_admin.h's.
#include "cli/admin_moderation.h"

#include <map>

#include "client/moderation_admin.h"
#include "crypto/base64.h"

namespace bulwark::cli {
namespace {

struct AdminArgs {
  std::string server;
  std::string ca_file;
  std::string name;
  std::string key_file;
  std::uint64_t case_id = 0;
  std::string action;
  std::string reason;
  std::string out;
  std::uint64_t after = 0;
  bool verify = false;
  std::vector<std::string> trust;  // NAME=BASE64KEY
};

Result<client::ModerationAdmin> open_admin(const AdminArgs& args) {
  if (args.server.empty()) return fail(Errc::invalid_argument, "--server https://HOST:PORT is required");
  if (args.key_file.empty()) return fail(Errc::invalid_argument, "--key FILE (the moderator's key) is required");
  client::AdminOptions options;
  options.server = args.server;
  if (!args.ca_file.empty()) options.ca_file = args.ca_file;
  options.moderator = args.name;
  options.key_file = args.key_file;
  return client::ModerationAdmin::open(options);
}

std::string str(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return "";
  const nlohmann::json& value = json[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string case_line(const nlohmann::json& c) {
  std::string where = str(c, "target");
  if (c.contains("handle")) where += " @" + str(c, "handle");
  if (c.value("seq", 0) != 0) where += " #" + str(c, "seq");
  std::string line = "case " + str(c, "id") + ": " + where + " [" + str(c, "category") + "] " +
                     str(c, "state") + ", " + str(c, "reports") + " report(s)";
  if (!str(c, "rule").empty()) line += ", rule " + str(c, "rule") + (c.value("rule_hidden", false) ? " (hidden)" : "");
  if (c.value("appealed", false)) line += ", APPEALED";
  return line;
}

std::string case_text(const nlohmann::json& c) {
  std::string text = case_line(c);
  if (c.contains("content")) text += "\n  content: " + str(c, "content");
  if (c.contains("hidden")) text += std::string("\n  hidden: ") + (c.value("hidden", false) ? "yes" : "no");
  if (!str(c, "decided_by").empty()) text += "\n  decided by " + str(c, "decided_by") + ": " + str(c, "last_action");
  for (const auto& report : c.value("report_list", nlohmann::json::array()))
    text += "\n  report: " + str(report, "category") + (str(report, "comment").empty() ? "" : " - " + str(report, "comment"));
  if (c.contains("appeal"))
    text += "\n  appeal (against " + str(c["appeal"], "decided_by") + "): " + str(c["appeal"], "text");
  return text;
}

int run_keygen(const AdminArgs& args, const Output& out) {
  if (args.out.empty()) return out.error(Error{Errc::invalid_argument, "--out FILE is required"});
  auto public_key = client::create_moderator_key(args.out);
  if (!public_key) return out.error(public_key.error());
  out.emit({{"type", "moderator_key"}, {"file", args.out}, {"public_key", *public_key}},
           *public_key + "\n(add to the server's config: [[moderation.moderator]] name = \"...\" key = \"" +
               *public_key + "\"; the private key stays in " + args.out + ")");
  return exit_ok;
}

int run_queue(const AdminArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto queue = admin->queue();
  if (!queue) return out.error(queue.error());
  const auto cases = queue->value("cases", nlohmann::json::array());
  for (const auto& c : cases) {
    nlohmann::json record = c;
    record["type"] = "moderation_case";
    out.emit(record, case_line(c));
  }
  if (cases.empty()) out.emit({{"type", "moderation_queue"}, {"count", 0}}, "The queue is empty.");
  return exit_ok;
}

int run_show(const AdminArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto found = admin->show(args.case_id);
  if (!found) return out.error(found.error());
  nlohmann::json record = *found;
  record["type"] = "moderation_case";
  out.emit(record, case_text(*found));
  return exit_ok;
}

int run_act(const AdminArgs& args, const Output& out) {
  auto action = moderation::action_from_name(args.action);
  if (!action)
    return out.error(Error{Errc::invalid_argument,
                           "--action must be remove-post, restrict-channel, suspend-account, "
                           "dismiss or reinstate"});
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto done = admin->act(args.case_id, *action, args.reason);
  if (!done) return out.error(done.error());
  nlohmann::json record = *done;
  record["type"] = "moderation_action";
  out.emit(record, "Case " + std::to_string(args.case_id) + ": " + args.action +
                       " signed and logged (log entry " + str(*done, "log_seq") + ").");
  return exit_ok;
}

// `log --verify`: the whole chain, audited under the moderators given with --trust.
int run_verify_log(client::ModerationAdmin& admin, const AdminArgs& args, const Output& out) {
  std::map<std::string, Bytes> trusted;
  for (const std::string& item : args.trust) {
    const auto equals = item.find('=');
    auto key = equals == std::string::npos ? Result<Bytes>(fail(Errc::invalid_argument, ""))
                                           : crypto::base64_decode(item.substr(equals + 1));
    if (!key || key->size() != 32)
      return out.error(Error{Errc::invalid_argument, "--trust takes NAME=KEY, KEY the moderator's base64 public key"});
    trusted[item.substr(0, equals)] = std::move(*key);
  }
  auto audited = admin.verify_log(std::move(trusted));
  if (!audited) return out.error(audited.error());
  const std::string head = to_hex(audited->head());
  out.emit({{"type", "moderation_log_verified"}, {"entries", audited->entries()}, {"head", head},
            {"trusted_moderators", args.trust.size()}},
           "The moderation log's " + std::to_string(audited->entries()) +
               " entries form an unbroken chain, each signed" +
               (args.trust.empty() ? std::string(" by the key it names") : std::string(" by a moderator you trust")) +
               "; head " + head + ".");
  return exit_ok;
}

int run_log(const AdminArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  if (args.verify) return run_verify_log(*admin, args, out);
  auto log = admin->log(args.after);
  if (!log) return out.error(log.error());
  for (const auto& entry : log->value("entries", nlohmann::json::array())) {
    nlohmann::json record = entry;
    record["type"] = "moderation_log_entry";
    out.emit(record, "#" + str(entry, "seq") + " case " + str(entry, "case_id") + " " +
                         str(entry, "action") + " by " + str(entry, "moderator") + ": " +
                         str(entry, "reason") + " (hash " + str(entry, "hash").substr(0, 16) + ")");
  }
  return exit_ok;
}

void connection_options(CLI::App& app, AdminArgs& args) {
  app.add_option("--server", args.server, "the server, https://HOST:PORT");
  app.add_option("--ca-file", args.ca_file, "trust exactly the certificate(s) in this PEM file");
  app.add_option("--name", args.name, "your moderator name, as configured on the server");
  app.add_option("--key", args.key_file, "your moderator key file (bulwark-admin moderation keygen)");
}

}  // namespace

void add_admin_moderation_commands(CLI::App& app, AdminCommands& commands) {
  CLI::App* moderation = app.add_subcommand("moderation", "public-content moderation");
  moderation->require_subcommand(1);
  auto args = std::make_shared<AdminArgs>();

  CLI::App* keygen = moderation->add_subcommand("keygen", "make a moderator key; prints its public key");
  keygen->add_option("--out", args->out, "the new key file (mode 0600)")->required();
  commands.push_back({keygen, [args](const Output& out) { return run_keygen(*args, out); }});

  CLI::App* queue = moderation->add_subcommand("queue", "open and appealed cases");
  connection_options(*queue, *args);
  commands.push_back({queue, [args](const Output& out) { return run_queue(*args, out); }});

  CLI::App* show = moderation->add_subcommand("show", "one case with its content and reports");
  show->add_option("case", args->case_id, "the case number")->required();
  connection_options(*show, *args);
  commands.push_back({show, [args](const Output& out) { return run_show(*args, out); }});

  CLI::App* act = moderation->add_subcommand("act", "decide a case: a signed, logged action");
  act->add_option("case", args->case_id, "the case number")->required();
  act->add_option("--action", args->action,
                  "remove-post, restrict-channel, suspend-account, dismiss; on an appeal: "
                  "reinstate (reverse) or dismiss (uphold)")->required();
  act->add_option("--reason", args->reason, "why (shown to the affected owner; 1-1000 bytes)")->required();
  connection_options(*act, *args);
  commands.push_back({act, [args](const Output& out) { return run_act(*args, out); }});

  CLI::App* log = moderation->add_subcommand("log", "the signed moderation log, for audits");
  log->add_option("--after", args->after, "entries after this one");
  log->add_flag("--verify", args->verify,
                "fetch the whole log and check its chain: every hash, every link, every signature");
  log->add_option("--trust", args->trust,
                  "with --verify: NAME=KEY of a moderator you trust (repeat); every entry must be "
                  "signed by one of them");
  connection_options(*log, *args);
  commands.push_back({log, [args](const Output& out) { return run_log(*args, out); }});
}

}  // namespace bulwark::cli
