// bulwark-witness: follows one of a Bulwark server's transparency logs, audits every entry
// and cosigns its checkpoints (src/witness/witness.h). Two forms:
//
//   bulwark-witness keygen --name NAME --key-file F
//       creates the key file when absent and prints the witness's cosigner vkey, which the
//       server and clients are configured with.
//   bulwark-witness --server https://HOST:PORT --log-key VKEY --name NAME --key-file F
//                   --state-dir D [--log kt|disclosure] [--interval-ms N] [--once]
//                   [--tls-ca PEM] ...
//       polls the server every N ms (default 1000), or runs one round with --once. --log picks
//       the log (src/witness/log_kind.h): kt, the key-transparency log (the default), or
//       disclosure, the disclosure log of lawful requests. One process and one state
//       directory follow one log; a state directory of another log or kind is refused at
//       start.
//
// Exit codes: 0 when the newest checkpoint is cosigned or there was nothing new (--once),
// 5 when the witness refused the log (an alarm: fork, rewrite or truncation; stored in the
// state, so every later run exits 5 until an operator removes the "alarm" line after
// investigating), 1 for anything else (usage, files, network). The loop exits only for an
// alarm or a local failure; network errors are logged and retried.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "witness/http_log_source.h"
#include "witness/key_file.h"
#include "witness/log_kind.h"
#include "witness/round.h"
#include "witness/state_file.h"

namespace {

using namespace bulwark;
using namespace bulwark::witness;

constexpr int exit_ok = 0;
constexpr int exit_error = 1;
constexpr int exit_alarm = 5;

struct Flags {
  std::string server, log_key, name, key_file, state_dir, log_level = "info";
  std::string log = "kt";
  std::optional<std::string> tls_ca;
  std::uint64_t interval_ms = 1000;
  std::uint64_t timeout_ms = 60'000;
  std::size_t max_entry_bytes = default_max_entry_bytes;
  bool once = false;
};

int keygen(const std::string& name, const std::string& key_file) {
  auto key = load_or_create_witness_key(key_file);
  if (!key) {
    spdlog::error("key file: {}", key.error().describe());
    return exit_error;
  }
  auto cosigner = kt::CosignerKey::create(name, key->key.public_key());
  if (!cosigner) {
    spdlog::error("--name: {}", cosigner.error().describe());
    return exit_error;
  }
  spdlog::info("{} {}", key->created ? "created" : "using the existing key in", key_file);
  std::cout << cosigner->vkey() << "\n";
  return exit_ok;
}

Result<Witness> load_witness(const Flags& flags, const Clock& clock) {
  WitnessKey key = BULWARK_TRY(load_or_create_witness_key(flags.key_file));
  if (key.created) spdlog::info("generated a new witness key in {}", flags.key_file);
  const LogKind kind = BULWARK_TRY(parse_log_kind(flags.log));
  const auto stored = BULWARK_TRY(load_state(flags.state_dir));
  Witness witness = BULWARK_TRY(Witness::create(kind, flags.log_key, flags.name, std::move(key.key),
                                                stored.value_or(WitnessState{}), clock));
  spdlog::info("witness {} for {} log {}: last cosigned size {}", witness.cosigner().vkey(),
               log_kind_name(witness.kind()), witness.origin(), witness.state().size);
  return witness;
}

Result<HttpLogSource> connect_source(const Flags& flags, LogKind kind) {
  const ServerUrl url = BULWARK_TRY(parse_server_url(flags.server));
  HttpsOptions options;
  if (flags.tls_ca) options.ca_file = *flags.tls_ca;
  options.timeout = std::chrono::milliseconds(flags.timeout_ms);
  HttpsClient client = BULWARK_TRY(HttpsClient::create(url, std::move(options)));
  return HttpLogSource(kind, std::move(client), flags.max_entry_bytes);
}

int report_alarm(const Witness& witness, const Flags& flags) {
  spdlog::critical("ALARM: this witness refuses log {}: {}", witness.origin(),
                   witness.state().alarm);
  spdlog::critical(
      "it will cosign nothing for this log until an operator investigates and "
      "removes the alarm line from {}",
      state_file_path(flags.state_dir).string());
  return exit_alarm;
}

int run(const Flags& flags) {
  const SystemClock clock;
  auto witness = load_witness(flags, clock);
  if (!witness) {
    spdlog::error("cannot start: {}", witness.error().describe());
    return exit_error;
  }
  if (witness->in_alarm()) return report_alarm(*witness, flags);
  auto source = connect_source(flags, witness->kind());
  if (!source) {
    spdlog::error("cannot start: {}", source.error().describe());
    return exit_error;
  }
  const std::filesystem::path state_dir = flags.state_dir;
  const StateSaver save = [&state_dir](const WitnessState& state) {
    return save_state(state_dir, state);
  };
  for (;;) {
    const auto report = run_round(*witness, *source, save);
    if (report && report->outcome == RoundOutcome::alarm) return report_alarm(*witness, flags);
    if (report && report->outcome == RoundOutcome::cosigned)
      spdlog::info("cosigned checkpoint {}", report->size);
    if (!report) spdlog::warn("round failed: {}", report.error().describe());
    if (!report && report.error().code == Errc::storage) return exit_error;
    if (flags.once) return report ? exit_ok : exit_error;
    std::this_thread::sleep_for(std::chrono::milliseconds(flags.interval_ms));
  }
}

void add_run_options(CLI::App& app, Flags& flags) {
  app.add_option("--server", flags.server, "the server to follow, https://HOST:PORT");
  app.add_option("--log", flags.log,
                 "which of its logs: kt (key transparency, the default) or disclosure (the "
                 "disclosure log of lawful requests, /v1/lawful)")
      ->check(CLI::IsMember({"kt", "disclosure"}));
  app.add_option("--log-key", flags.log_key, "the log's checkpoint signing vkey (type 0x01)");
  app.add_option("--name", flags.name, "this witness's key name, e.g. witness.example.org/w1");
  app.add_option("--key-file", flags.key_file, "the 32-byte Ed25519 seed (0600); made if absent");
  app.add_option("--state-dir", flags.state_dir, "where the last cosigned checkpoint is kept");
  app.add_option("--interval-ms", flags.interval_ms, "poll period in ms (default 1000)");
  app.add_flag("--once", flags.once, "run one round and exit");
  app.add_option("--tls-ca", flags.tls_ca, "verify the server's certificate against this PEM");
  app.add_option("--timeout-ms", flags.timeout_ms, "per network operation (default 60000)");
  app.add_option("--max-entry-bytes", flags.max_entry_bytes,
                 "largest log entry accepted (default 1 GiB)");
  app.add_option("--log-level", flags.log_level, "trace|debug|info|warn|error (default info)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "bulwark-witness: audits a Bulwark transparency log (key transparency or "
      "disclosure) and cosigns it"};
  Flags flags;
  add_run_options(app, flags);
  std::string keygen_name, keygen_file;
  CLI::App* keygen_command = app.add_subcommand("keygen", "create a witness key, print its vkey");
  keygen_command->add_option("--name", keygen_name, "the witness's key name")->required();
  keygen_command->add_option("--key-file", keygen_file, "where the seed is kept")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? exit_ok : exit_error;
  }
  auto logger = spdlog::stderr_color_mt("bulwark-witness");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  if (*keygen_command) return keygen(keygen_name, keygen_file);
  for (const auto* required :
       {&flags.server, &flags.log_key, &flags.name, &flags.key_file, &flags.state_dir}) {
    if (required->empty()) {
      spdlog::error("--server, --log-key, --name, --key-file and --state-dir are required");
      return exit_error;
    }
  }
  return run(flags);
}
