// `bulwark send --to PEER -m TEXT` (or the body from stdin).
#include "cli/commands.h"
#include "cli/stdin_body.h"

namespace bulwark::cli {
namespace {

struct SendArgs {
  std::string to;
  std::optional<std::string> message;
};

int run_send(const SendArgs& args, const GlobalOptions& options, const Output& out) {
  std::string body = args.message ? *args.message : read_stdin_body();
  if (body.empty()) return out.error(Error{Errc::invalid_argument, "nothing to send: give -m TEXT or a body on stdin"});
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto receipt = (*session)->client->send(args.to, body);
  if (!receipt) return out.error(receipt.error());
  out.emit({{"type", "sent"}, {"to", args.to}, {"account_id", receipt->recipient_account},
            {"devices", receipt->devices}, {"timestamp", receipt->server_timestamp_ms}},
           "Sent to " + args.to + " (" + std::to_string(receipt->devices.size()) + " device" +
               (receipt->devices.size() == 1 ? "" : "s") + ").");
  return exit_ok;
}

}  // namespace

void add_send_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<SendArgs>();
  CLI::App* send = app.add_subcommand("send", "send an end-to-end encrypted message");
  send->add_option("--to", args->to, "+PHONE, @username or account id")->required();
  send->add_option("-m,--message", args->message, "the text (default: read from stdin)");
  commands.push_back({send, [args](const GlobalOptions& o, const Output& out) { return run_send(*args, o, out); }});
}

}  // namespace bulwark::cli
