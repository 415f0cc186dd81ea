// `bulwark register PHONE` asks the server for a code; `bulwark verify CODE` proves it and
// creates this device's keys.
#include "cli/commands.h"
#include "cli/render.h"

namespace bulwark::cli {
namespace {

struct RegisterArgs {
  std::string phone;
};
struct VerifyArgs {
  std::string code;
  bool discoverable = false;
  std::vector<std::string> kt_witnesses;
  std::optional<std::uint32_t> kt_quorum;
};

int run_register(const RegisterArgs& args, const GlobalOptions& options, const Output& out) {
  if (!options.server) {
    return out.error(Error{Errc::invalid_argument, "register needs --server wss://HOST:PORT"});
  }
  auto e164 = client::Client::request_code(*options.server, tls_trust(options), args.phone, timeout(options));
  if (!e164) return out.error(e164.error());
  auto session = open_new_account(options, *e164);
  if (!session) return out.error(session.error());
  out.emit({{"type", "code_requested"}, {"phone", *e164}},
           "A verification code is on its way to " + *e164 + ". Then: bulwark verify CODE");
  return exit_ok;
}

int run_verify(const VerifyArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  if ((*session)->client->has_account())
    return out.error(Error{Errc::conflict, "this account is already registered on this device"});
  std::string phone = (*session)->account_dir.filename().string();
  auto info = (*session)->client->verify(phone, args.code, args.discoverable,
                                         client::KtRequirements{args.kt_witnesses, args.kt_quorum});
  if (!info) return out.error(info.error());
  out.emit(account_json(*info), "Registered " + info->phone + " (account " + info->account_id + ", device " +
                                    std::to_string(info->device_id) + ").");
  return exit_ok;
}

}  // namespace

void add_registration_commands(CLI::App& app, Commands& commands) {
  auto reg = std::make_shared<RegisterArgs>();
  CLI::App* reg_app = app.add_subcommand("register", "ask the server to send a verification code to PHONE");
  reg_app->add_option("phone", reg->phone, "phone number in international form, e.g. +12015550123")->required();
  commands.push_back({reg_app, [reg](const GlobalOptions& o, const Output& out) { return run_register(*reg, o, out); }});

  auto verify = std::make_shared<VerifyArgs>();
  CLI::App* verify_app = app.add_subcommand("verify", "finish registration with the code");
  verify_app->add_option("code", verify->code, "the six-digit code")->required();
  verify_app->add_flag("--discoverable", verify->discoverable, "let others find this account by phone number");
  verify_app->add_option("--kt-witness", verify->kt_witnesses,
                         "a key-transparency witness you trust (its vkey; repeatable): instead of the server's list");
  verify_app->add_option("--kt-quorum", verify->kt_quorum,
                         "how many witnesses must cosign (default: all given, or the server's)");
  commands.push_back({verify_app, [verify](const GlobalOptions& o, const Output& out) { return run_verify(*verify, o, out); }});
}

}  // namespace bulwark::cli
