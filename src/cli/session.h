// Where a `bulwark` account lives and how it is opened (docs/CLI.md):
//   DATA_DIR/key                      the local database key (0600, created on first use),
//                                     unless --key-file or BULWARK_PASSPHRASE is given
//   DATA_DIR/accounts/<E.164>/        one directory per account: client.db (SQLCipher) and
//                                     settings.json (server URL and CA file; nothing secret)
// --account picks one; with a single account it is the default.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/output.h"
#include "client/client.h"
#include "common/clock.h"
#include "crypto/random.h"

namespace bulwark::cli {

struct GlobalOptions {
  std::optional<std::string> server;
  std::optional<std::string> ca_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> account;
  std::optional<std::string> key_file;
  std::string output = "text";
  double timeout_seconds = 15;
};

struct Session {
  SystemClock clock;
  crypto::SystemRng rng;
  std::unique_ptr<client::Client> client;
  std::filesystem::path account_dir;
  // Hands the client's key-transparency alerts to cli/alerts.h, which main() reports.
  ~Session();
};

[[nodiscard]] std::filesystem::path data_dir(const GlobalOptions& options);
// Opens the account named by --account, or the only one. Errc::not_found when there is none.
[[nodiscard]] Result<std::unique_ptr<Session>> open_account(const GlobalOptions& options);
// Opens (creating) the directory of `e164` for registration and saves the server settings.
[[nodiscard]] Result<std::unique_ptr<Session>> open_new_account(const GlobalOptions& options,
                                                                const std::string& e164);
// Creates DATA_DIR/accounts/<e164> (0700) and writes its settings from the options.
[[nodiscard]] Result<std::filesystem::path> prepare_account_dir(const GlobalOptions& options,
                                                                const std::string& e164);
[[nodiscard]] Result<client::StoreKey> store_key(const GlobalOptions& options);
[[nodiscard]] client::TlsTrust tls_trust(const GlobalOptions& options);
[[nodiscard]] std::chrono::milliseconds timeout(const GlobalOptions& options);

}  // namespace bulwark::cli
