#include "client/client.h"

#include <thread>

#include "api/auth.h"
#include "api/limits.h"
#include "client/detail/client_impl.h"
#include "client/detail/group_ops.h"
#include "client/detail/proto_text.h"
#include "client/keys.h"
#include "client/transparency.h"
#include "client/uuid.h"
#include "crypto/ed25519.h"

namespace bulwark::client {
namespace {

// Reconnection: a few attempts with doubling pauses, inside the operation's timeout.
constexpr int connect_attempts = 4;
constexpr auto first_backoff = std::chrono::milliseconds(250);

}  // namespace

Error error_from_response(const api::Response& response) {
  std::string message = response.message().empty() ? "request failed" : response.message();
  switch (response.status()) {
    case api::RATE_LIMITED:
      return Error{Errc::rate_limited, message + " (retry in " +
                                           std::to_string((response.retry_after_ms() + 999) / 1000) + " s)"};
    case api::NOT_FOUND: return Error{Errc::not_found, message};
    case api::CONFLICT: return Error{Errc::conflict, message};
    case api::UNAUTHENTICATED: return Error{Errc::auth_failed, message};
    case api::INVALID_CODE: return Error{Errc::auth_failed, message};
    case api::UNAVAILABLE:
    case api::INTERNAL: return Error{Errc::unavailable, "server: " + message};
    case api::TOO_LARGE: return Error{Errc::invalid_argument, message};
    case api::REPORT_REFUSED: return Error{Errc::auth_failed, "report refused: " + message};
    default: return Error{Errc::invalid_argument, "server refused: " + message};
  }
}

std::int64_t Client::Impl::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
}

protocol::ProtocolStores Client::Impl::stores() {
  return protocol::ProtocolStores{*store, *store, *store, *store, *store};
}

Result<const LocalAccount*> Client::Impl::require_account() {
  if (!account) return fail(Errc::not_found, "no account here yet: run `bulwark register PHONE` first");
  return &*account;
}

Result<void> Client::Impl::save_account(const LocalAccount& updated) {
  BULWARK_TRY(store->save_account(updated));
  account = BULWARK_TRY(store->account());
  return {};
}

Result<ServerAddress> Client::Impl::server_address(const std::optional<std::string>& saved) const {
  if (options.server_url) return parse_server_url(*options.server_url);
  if (saved) return parse_server_url(*saved);
  return fail(Errc::invalid_argument, "which server? pass --server wss://HOST:PORT");
}

Result<std::unique_ptr<ServerConnection>> Client::Impl::open_connection(const ServerAddress& address) {
  auto pause = first_backoff;
  Error last{Errc::network, "not connected"};
  for (int attempt = 0; attempt < connect_attempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(pause);
      pause *= 2;
    }
    auto opened = ServerConnection::open(address, options.trust, options.timeout);
    if (opened) return std::move(*opened);
    last = opened.error();
    // A certificate that does not verify will not verify on the next try either.
    if (last.context.find("TLS handshake") != std::string::npos) break;
  }
  return tl::unexpected(last);
}

Result<ServerConnection*> Client::Impl::connected() {
  if (connection && connection->is_open()) return connection.get();
  const LocalAccount* local = BULWARK_TRY(require_account());
  ServerAddress address = BULWARK_TRY(server_address(local->server_url));
  auto fresh = BULWARK_TRY(open_connection(address));
  // The stored key is libsodium's 64-byte form; its first half is the RFC 8032 seed.
  auto secret = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(local->auth_secret_key.view().first(32)));
  Bytes message = api::device_auth_message(fresh->challenge_nonce(), local->account_id,
                                           local->device_id, fresh->tls_exporter());
  auto signature = crypto::ed25519_sign(secret, message);
  api::Request request;
  auto* auth = request.mutable_authenticate();
  auth->set_account_id(text_of(local->account_id));
  auth->set_device_id(local->device_id);
  auth->set_signature(text_of(signature));
  auto response = BULWARK_TRY(fresh->call(std::move(request), options.timeout));
  if (response.status() != api::OK) {
    Error error = error_from_response(response);
    if (response.status() == api::UNAUTHENTICATED)
      error.context = "the server does not know this device (was the account re-registered elsewhere?)";
    return tl::unexpected(error);
  }
  connection = std::move(fresh);
  queue_flushed = false;
  BULWARK_TRY(replenish_pre_keys());
  // Groups are one feature among many: a server that refuses KeyPackages now (rate limits, an
  // older server) must not stop this device's other commands. The next connect tries again.
  (void)detail::replenish_key_packages(*this);
  // Self-monitoring on every connect (client/transparency.h): what it finds goes to alerts;
  // a failure to check (the network) does not fail the command that connected.
  if (!monitored) {
    monitored = true;
    (void)monitor_own_account(*this);
  }
  return connection.get();
}

Result<api::Response> Client::Impl::call(api::Request request,
                                         std::initializer_list<api::Status> pass) {
  ServerConnection* server = BULWARK_TRY(connected());
  auto response = BULWARK_TRY(server->call(std::move(request), options.timeout));
  if (response.status() == api::OK) return response;
  for (api::Status status : pass)
    if (response.status() == status) return response;
  return tl::unexpected(error_from_response(response));
}

Result<void> Client::Impl::replenish_pre_keys() {
  api::Request request;
  request.mutable_get_pre_key_counts();
  auto response = BULWARK_TRY(connection->call(std::move(request), options.timeout));
  if (response.status() != api::OK) return tl::unexpected(error_from_response(response));
  const auto& counts = response.pre_key_counts();
  bool ec_low = counts.pre_keys() < pre_key_low_water;
  bool kyber_low = counts.kyber_pre_keys() < pre_key_low_water;
  if (!ec_low && !kyber_low) return {};
  LocalAccount updated = BULWARK_TRY(store->account()).value();
  api::Request upload;
  BULWARK_TRY(store->transaction([&]() -> Result<void> {
    return generate_one_time_keys(*store, updated, ec_low ? pre_key_batch : 0,
                                  kyber_low ? pre_key_batch : 0, static_cast<std::uint64_t>(now_ms()),
                                  rng, *upload.mutable_upload_pre_keys());
  }));
  BULWARK_TRY(save_account(updated));
  auto uploaded = BULWARK_TRY(connection->call(std::move(upload), options.timeout));
  if (uploaded.status() != api::OK) return tl::unexpected(error_from_response(uploaded));
  return {};
}

// ---- Client ----

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::open(ClientOptions options, Clock& clock, Rng& rng) {
  auto impl = std::make_unique<Impl>(std::move(options), clock, rng);
  impl->store = BULWARK_TRY(LocalStore::open(impl->options.account_dir, impl->options.key));
  impl->account = BULWARK_TRY(impl->store->account());
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

bool Client::has_account() const { return impl_->account.has_value(); }

Result<AccountInfo> Client::whoami() {
  api::Request request;
  request.mutable_whoami();
  auto response = BULWARK_TRY(impl_->call(std::move(request)));
  const auto& who = response.whoami();
  AccountInfo info;
  info.account_id = BULWARK_TRY(format_uuid(as_bytes(who.account_id())));
  info.device_id = who.device_id();
  info.phone = who.phone();
  if (!who.username().empty()) info.username = who.username();
  info.discoverable = who.discoverable_by_phone();
  info.devices.assign(who.device_ids().begin(), who.device_ids().end());
  info.server_url = impl_->account->server_url;
  return info;
}

Result<KeysReport> Client::verify_keys() {
  impl_->monitored = true;  // checked right here, not again on connect
  return monitor_own_account(*impl_);
}

const std::vector<KtAlert>& Client::alerts() const { return impl_->alerts; }

Result<void> Client::set_username(std::string_view username) {
  api::Request request;
  request.mutable_set_username()->set_username(std::string(username));
  BULWARK_TRY(impl_->call(std::move(request)));
  LocalAccount updated = BULWARK_TRY(impl_->store->account()).value();
  std::string canonical = api::canonical_username(username);
  updated.username = canonical.empty() ? std::nullopt : std::optional<std::string>(canonical);
  return impl_->save_account(updated);
}

Result<void> Client::set_discoverable(bool discoverable) {
  api::Request request;
  request.mutable_set_discoverable()->set_discoverable_by_phone(discoverable);
  BULWARK_TRY(impl_->call(std::move(request)));
  return {};
}

}  // namespace bulwark::client
