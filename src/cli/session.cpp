#include "cli/session.h"

#include "cli/alerts.h"

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

namespace bulwark::cli {
namespace {

namespace fs = std::filesystem;

struct Settings {
  std::optional<std::string> server;
  std::optional<std::string> ca_file;
};

Settings load_settings(const fs::path& dir) {
  Settings settings;
  std::ifstream in(dir / "settings.json");
  if (!in) return settings;
  auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return settings;
  if (json.contains("server") && json["server"].is_string()) settings.server = json["server"];
  if (json.contains("ca_file") && json["ca_file"].is_string()) settings.ca_file = json["ca_file"];
  return settings;
}

Result<void> save_settings(const fs::path& dir, const Settings& settings) {
  nlohmann::json json = nlohmann::json::object();
  if (settings.server) json["server"] = *settings.server;
  if (settings.ca_file) json["ca_file"] = *settings.ca_file;
  std::ofstream out(dir / "settings.json", std::ios::trunc);
  out << json.dump(2) << "\n";
  if (!out) return fail(Errc::storage, "cannot write " + (dir / "settings.json").string());
  return {};
}

}  // namespace

Result<client::StoreKey> store_key(const GlobalOptions& options) {
  std::error_code error;
  fs::create_directories(data_dir(options), error);
  if (error) return fail(Errc::storage, "cannot create " + data_dir(options).string());
  if (const char* passphrase = std::getenv("BULWARK_PASSPHRASE"); passphrase && *passphrase)
    return client::derive_key(passphrase, data_dir(options) / "key.salt");
  fs::path file = options.key_file ? fs::path(*options.key_file) : data_dir(options) / "key";
  return client::load_key_file(file, !options.key_file.has_value());
}

Session::~Session() {
  if (client) collect_alerts(client->alerts());
}

namespace {

Result<std::unique_ptr<Session>> open_dir(const GlobalOptions& options, const fs::path& dir) {
  Settings settings = load_settings(dir);
  client::ClientOptions client_options;
  client_options.account_dir = dir;
  client_options.key = BULWARK_TRY(store_key(options));
  client_options.server_url = options.server ? options.server : settings.server;
  client_options.trust.ca_file = options.ca_file ? std::optional<fs::path>(*options.ca_file)
                                 : settings.ca_file ? std::optional<fs::path>(*settings.ca_file)
                                                    : std::nullopt;
  client_options.timeout = timeout(options);
  auto session = std::make_unique<Session>();
  session->account_dir = dir;
  session->client = BULWARK_TRY(client::Client::open(std::move(client_options), session->clock, session->rng));
  return session;
}

}  // namespace

fs::path data_dir(const GlobalOptions& options) {
  if (options.data_dir) return *options.data_dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "bulwark";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local/share/bulwark";
  return "bulwark-client";
}

client::TlsTrust tls_trust(const GlobalOptions& options) {
  client::TlsTrust trust;
  if (options.ca_file) trust.ca_file = fs::absolute(*options.ca_file);
  return trust;
}

std::chrono::milliseconds timeout(const GlobalOptions& options) {
  return std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
}

Result<std::unique_ptr<Session>> open_account(const GlobalOptions& options) {
  fs::path accounts = data_dir(options) / "accounts";
  if (options.account) {
    fs::path dir = accounts / *options.account;
    if (!fs::exists(dir)) return fail(Errc::not_found, "no account " + *options.account + " in " + accounts.string());
    return open_dir(options, dir);
  }
  std::vector<fs::path> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(accounts, error))
    if (entry.is_directory()) found.push_back(entry.path());
  if (found.empty()) return fail(Errc::not_found, "no account yet: run `bulwark register PHONE`");
  if (found.size() > 1) return fail(Errc::invalid_argument, "several accounts here: pick one with --account PHONE");
  return open_dir(options, found.front());
}

Result<std::unique_ptr<Session>> open_new_account(const GlobalOptions& options, const std::string& e164) {
  fs::path dir = BULWARK_TRY(prepare_account_dir(options, e164));
  return open_dir(options, dir);
}

Result<fs::path> prepare_account_dir(const GlobalOptions& options, const std::string& e164) {
  fs::path dir = data_dir(options) / "accounts" / e164;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  Settings settings = load_settings(dir);
  if (options.server) settings.server = options.server;
  if (options.ca_file) settings.ca_file = fs::absolute(*options.ca_file).string();
  BULWARK_TRY(save_settings(dir, settings));
  return dir;
}

}  // namespace bulwark::cli
