// `bulwark-admin lawful keygen|authorities add|authorities list|submit|list|show|approve|refuse|
// release` and `bulwark-admin transparency verify` (docs/LAWFUL.md): parsing and output only;
// the signing and the HTTPS requests are client/lawful_admin.h's and
// client/disclosure_audit.h's.
#include "cli/admin_lawful.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/disclosure_audit.h"
#include "client/lawful_admin.h"
#include "client/moderation_admin.h"

namespace bulwark::cli {
namespace {

struct LawfulArgs {
  std::string server;
  std::string ca_file;
  std::string name;
  std::string key_file;
  std::uint64_t order = 0;
  std::uint64_t after = 0;
  std::string reason;
  std::string out;
  std::string document;
  std::string signature;
  std::string authority;
  std::string jurisdiction;
  std::vector<std::string> anchors;
  std::vector<std::string> intermediates;
  std::vector<std::string> crls;
  // transparency verify
  std::string log_key;
  std::vector<std::string> witnesses;
  std::optional<std::size_t> quorum;
  std::string state;
};

constexpr std::size_t max_input_file_bytes = 2 * 1024 * 1024;

Result<std::string> read_file(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return fail(Errc::invalid_argument, "cannot read " + path);
  if (size > max_input_file_bytes) return fail(Errc::invalid_argument, path + " is over 2 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    return fail(Errc::invalid_argument, "cannot read " + path);
  return text;
}

// The package holds people's phone numbers and addresses: owner-only, like a key file.
Result<void> write_private_file(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::storage, "cannot write " + path);
  ::fchmod(fd, 0600);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      return fail(Errc::storage, "cannot write " + path);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return fail(Errc::storage, "cannot write " + path);
  return {};
}

Result<client::LawfulAdmin> open_admin(const LawfulArgs& args) {
  if (args.server.empty())
    return fail(Errc::invalid_argument, "--server https://HOST:PORT is required");
  if (args.key_file.empty())
    return fail(Errc::invalid_argument, "--key FILE (the operator's key) is required");
  client::LawfulAdminOptions options;
  options.server = args.server;
  if (!args.ca_file.empty()) options.ca_file = args.ca_file;
  options.name = args.name;
  options.key_file = args.key_file;
  return client::LawfulAdmin::open(options);
}

std::string str(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return "";
  const nlohmann::json& value = json[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// A step's answer: 200 done, 202 pending, 422 refused and logged.
int emit_step(const Output& out, const client::LawfulAnswer& answer, const char* type,
              const std::string& done_text) {
  nlohmann::json record = answer.body;
  record["type"] = type;
  record["status"] = answer.status;
  if (answer.status == 422) {
    out.emit(record, "Refused (" + str(answer.body, "refused") + ", disclosure log entry " +
                         str(answer.body, "log_index") + "): " + str(answer.body, "error"));
    return exit_refused;
  }
  if (answer.status == 202) {
    out.emit(record, "Pending: " + str(answer.body, "pending") + " (" +
                         str(answer.body, "cosignatures") + " of " + str(answer.body, "quorum") +
                         " so far). Run the release again once the witnesses have cosigned.");
    return exit_pending;
  }
  out.emit(record, done_text);
  return exit_ok;
}

int run_keygen(const LawfulArgs& args, const Output& out) {
  if (args.out.empty()) return out.error(Error{Errc::invalid_argument, "--out FILE is required"});
  auto public_key = client::create_moderator_key(args.out);
  if (!public_key) return out.error(public_key.error());
  out.emit({{"type", "operator_key"}, {"file", args.out}, {"public_key", *public_key}},
           *public_key +
               "\n(add to the server's config: [[lawful.operator]] name = \"...\" key = \"" +
               *public_key + "\"; the private key stays in " + args.out + ")");
  return exit_ok;
}

int run_add_authority(const LawfulArgs& args, const Output& out) {
  lawful::Authority authority{args.authority, args.jurisdiction, {}};
  for (const auto& [paths, pems] : {std::pair{&args.anchors, &authority.trust.anchors},
                                    std::pair{&args.intermediates, &authority.trust.intermediates},
                                    std::pair{&args.crls, &authority.trust.crls}}) {
    for (const std::string& path : *paths) {
      auto text = read_file(path);
      if (!text) return out.error(text.error());
      pems->push_back(std::move(*text));
    }
  }
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto added = admin->add_authority(authority);
  if (!added) return out.error(added.error());
  nlohmann::json record = *added;
  record["type"] = "lawful_authority";
  out.emit(record, "Authority \"" + authority.name + "\" (" + authority.jurisdiction +
                       "): " + std::to_string(authority.trust.anchors.size()) + " anchor(s), " +
                       std::to_string(authority.trust.crls.size()) + " CRL(s).");
  return exit_ok;
}

int run_list_authorities(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto list = admin->authorities();
  if (!list) return out.error(list.error());
  const auto authorities = list->value("authorities", nlohmann::json::array());
  for (const auto& authority : authorities) {
    nlohmann::json record = authority;
    record["type"] = "lawful_authority";
    out.emit(
        record,
        str(authority, "name") + " (" + str(authority, "jurisdiction") +
            "): " + std::to_string(authority.value("anchors", nlohmann::json::array()).size()) +
            " anchor(s), " +
            std::to_string(authority.value("crls", nlohmann::json::array()).size()) + " CRL(s)");
  }
  if (authorities.empty())
    out.emit({{"type", "lawful_authorities"}, {"count", 0}}, "No authority is configured.");
  return exit_ok;
}

int run_submit(const LawfulArgs& args, const Output& out) {
  auto document = read_file(args.document);
  if (!document) return out.error(document.error());
  auto signature = read_file(args.signature);
  if (!signature) return out.error(signature.error());
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto answer = admin->submit(as_bytes(*document), as_bytes(*signature));
  if (!answer) return out.error(answer.error());
  return emit_step(out, *answer, "lawful_submission",
                   "Order verified and received as order " + str(answer->body, "order") +
                       " (disclosure log entry " + str(answer->body, "log_index") +
                       "). It needs operators' approvals before anything is released.");
}

std::string order_line(const nlohmann::json& order) {
  return "order " + str(order, "id") + ": " + str(order, "order_id") + " from " +
         str(order, "authority") + " (" + str(order, "jurisdiction") + "), " + str(order, "state");
}

int run_list(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto list = admin->orders(args.after);
  if (!list) return out.error(list.error());
  for (const auto& order : list->value("orders", nlohmann::json::array())) {
    nlohmann::json record = order;
    record["type"] = "lawful_order";
    out.emit(record, order_line(order));
  }
  return exit_ok;
}

int run_show(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto found = admin->show(args.order);
  if (!found) return out.error(found.error());
  nlohmann::json record = *found;
  record["type"] = "lawful_order";
  std::string text = order_line(*found) + "\n  sha256 " + str(*found, "sha256");
  for (const auto& decision : found->value("decisions", nlohmann::json::array()))
    text += "\n  " + str(decision, "decision") + " by " + str(decision, "operator") +
            (str(decision, "reason").empty() ? "" : ": " + str(decision, "reason"));
  text += "\n  approvals required: " + str(*found, "approvals_required");
  out.emit(record, text);
  return exit_ok;
}

int run_approve(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto answer = admin->approve(args.order);
  if (!answer) return out.error(answer.error());
  return emit_step(out, *answer, "lawful_approval",
                   "Order " + std::to_string(args.order) + " approved by " + args.name +
                       " (disclosure log entry " + str(answer->body, "log_index") + ").");
}

int run_refuse(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto answer = admin->refuse(args.order, args.reason);
  if (!answer) return out.error(answer.error());
  return emit_step(out, *answer, "lawful_refusal",
                   "Order " + std::to_string(args.order) + " refused by " + args.name +
                       " (disclosure log entry " + str(answer->body, "log_index") + ").");
}

int run_release(const LawfulArgs& args, const Output& out) {
  auto admin = open_admin(args);
  if (!admin) return out.error(admin.error());
  auto answer = admin->release(args.order);
  if (!answer) return out.error(answer.error());
  if (answer->status == 200) {
    if (auto written = write_private_file(args.out, str(answer->body, "package")); !written)
      return out.error(written.error());
    answer->body.erase("package");
    answer->body["file"] = args.out;
  }
  return emit_step(out, *answer, "lawful_release",
                   "Released: the signed package is in " + args.out +
                       "; its answer is disclosure log entry " + str(answer->body, "log_index") +
                       ", and the package carries the proof.");
}

int run_verify(const LawfulArgs& args, const Output& out) {
  if (args.server.empty())
    return out.error(Error{Errc::invalid_argument, "--server https://HOST:PORT is required"});
  client::DisclosureAuditOptions options;
  options.server = args.server;
  if (!args.ca_file.empty()) options.ca_file = args.ca_file;
  if (!args.log_key.empty()) options.log_vkey = args.log_key;
  options.witness_vkeys = args.witnesses;
  options.quorum = args.quorum;
  if (!args.state.empty()) options.state_file = args.state;
  auto report = client::audit_server_disclosure_log(options);
  // A checkpoint without the pinned log key's signature or the pinned witnesses' quorum
  // (auth_failed) is a log the auditor cannot trust, as is a proof that fails: exit 4.
  if (!report && report.error().code == Errc::auth_failed)
    return out.error(Error{Errc::invalid_proof, report.error().context});
  if (!report) return out.error(report.error());
  nlohmann::json periods = nlohmann::json::array();
  std::string text = "The disclosure log " + report->origin +
                     " verifies: " + std::to_string(report->size) + " entries, root " +
                     report->root + ", cosigned by " + std::to_string(report->cosigned_by.size()) +
                     " witness(es)";
  if (report->previously_seen)
    text += ", extending the " + std::to_string(*report->previously_seen) + " entries seen before";
  text += ". The published report matches the log.";
  if (report->keys_from_server)
    text += "\nWarning: no --log-key given, so the log's key is the server's own word. Pin it.";
  for (const lawful::PeriodCounts& counts : report->counts) {
    periods.push_back(lawful::period_json(counts));
    text += "\n  " + counts.quarter + " " + counts.jurisdiction + ": " +
            std::to_string(counts.received) + " received, " + std::to_string(counts.refused) +
            " refused, " + std::to_string(counts.granted) + " granted, " +
            std::to_string(counts.not_held) + " not held, " +
            std::to_string(counts.accounts_affected) + " account(s) affected";
  }
  out.emit({{"type", "transparency_verified"},
            {"origin", report->origin},
            {"size", report->size},
            {"root", report->root},
            {"cosigned_by", report->cosigned_by},
            {"keys_from_server", report->keys_from_server},
            {"periods", std::move(periods)}},
           text);
  return exit_ok;
}

void connection_options(CLI::App& app, LawfulArgs& args) {
  app.add_option("--server", args.server, "the server, https://HOST:PORT");
  app.add_option("--ca-file", args.ca_file, "trust exactly the certificate(s) in this PEM file");
  app.add_option("--name", args.name, "your operator name, as configured on the server");
  app.add_option("--key", args.key_file, "your operator key file (bulwark-admin lawful keygen)");
}

}  // namespace

void add_admin_lawful_commands(CLI::App& app, AdminCommands& commands) {
  auto args = std::make_shared<LawfulArgs>();
  CLI::App* lawful =
      app.add_subcommand("lawful", "lawful requests: court orders, approvals, releases");
  lawful->require_subcommand(1);

  CLI::App* keygen =
      lawful->add_subcommand("keygen", "make an operator key; prints its public key");
  keygen->add_option("--out", args->out, "the new key file (mode 0600)")->required();
  commands.push_back({keygen, [args](const Output& out) { return run_keygen(*args, out); }});

  CLI::App* authorities =
      lawful->add_subcommand("authorities", "the authorities whose orders are accepted");
  authorities->require_subcommand(1);
  CLI::App* add = authorities->add_subcommand("add", "add or replace an authority");
  add->add_option("name", args->authority, "its name, exactly as its orders give it")->required();
  add->add_option("--jurisdiction", args->jurisdiction, "ISO 3166 code, e.g. GR or DE-BY")
      ->required();
  add->add_option("--anchor", args->anchors, "a PEM root certificate (repeat)")->required();
  add->add_option("--intermediate", args->intermediates, "a PEM intermediate certificate (repeat)");
  add->add_option("--crl", args->crls, "a PEM CRL, one per certificate authority (repeat)");
  connection_options(*add, *args);
  commands.push_back({add, [args](const Output& out) { return run_add_authority(*args, out); }});
  CLI::App* list_authorities = authorities->add_subcommand("list", "the configured authorities");
  connection_options(*list_authorities, *args);
  commands.push_back(
      {list_authorities, [args](const Output& out) { return run_list_authorities(*args, out); }});

  CLI::App* submit =
      lawful->add_subcommand("submit", "verify and log an order: ORDER.json ORDER.sig");
  submit->add_option("order", args->document, "the order document (JSON)")->required();
  submit->add_option("signature", args->signature, "its detached CMS signature (DER)")->required();
  connection_options(*submit, *args);
  commands.push_back({submit, [args](const Output& out) { return run_submit(*args, out); }});

  CLI::App* list = lawful->add_subcommand("list", "orders received");
  list->add_option("--after", args->after, "orders after this id");
  connection_options(*list, *args);
  commands.push_back({list, [args](const Output& out) { return run_list(*args, out); }});

  CLI::App* show = lawful->add_subcommand("show", "one order with its decisions");
  show->add_option("id", args->order, "the order's number")->required();
  connection_options(*show, *args);
  commands.push_back({show, [args](const Output& out) { return run_show(*args, out); }});

  CLI::App* approve = lawful->add_subcommand("approve", "sign your approval of an order (logged)");
  approve->add_option("id", args->order, "the order's number")->required();
  connection_options(*approve, *args);
  commands.push_back({approve, [args](const Output& out) { return run_approve(*args, out); }});

  CLI::App* refuse = lawful->add_subcommand("refuse", "refuse an order for good (logged, public)");
  refuse->add_option("id", args->order, "the order's number")->required();
  refuse
      ->add_option("--reason", args->reason, "why (1-1000 bytes; published in the disclosure log)")
      ->required();
  connection_options(*refuse, *args);
  commands.push_back({refuse, [args](const Output& out) { return run_refuse(*args, out); }});

  CLI::App* release = lawful->add_subcommand(
      "release", "log the answer, then (once witnessed) write the signed package");
  release->add_option("id", args->order, "the order's number")->required();
  release->add_option("--out", args->out, "where to write the package")->required();
  connection_options(*release, *args);
  commands.push_back({release, [args](const Output& out) { return run_release(*args, out); }});

  CLI::App* transparency = app.add_subcommand("transparency", "the public disclosure log");
  transparency->require_subcommand(1);
  CLI::App* verify = transparency->add_subcommand(
      "verify", "check a server's disclosure log and its published report (anyone can)");
  verify->add_option("--server", args->server, "the server, https://HOST:PORT")->required();
  verify->add_option("--ca-file", args->ca_file,
                     "trust exactly the certificate(s) in this PEM file");
  verify->add_option("--log-key", args->log_key, "the disclosure log's vkey, pinned");
  verify->add_option("--witness", args->witnesses, "a witness's cosigner vkey, pinned (repeat)");
  verify->add_option("--quorum", args->quorum, "cosignatures required (default: every witness)");
  verify->add_option(
      "--state", args->state,
      "remember the verified tree here; later runs refuse a log that does not extend it");
  commands.push_back({verify, [args](const Output& out) { return run_verify(*args, out); }});
}

}  // namespace bulwark::cli
