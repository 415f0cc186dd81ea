// Client's private state and the helpers its operation files share (client.cpp,
// registration.cpp, sending.cpp, receiving.cpp, trust.cpp).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>

#include "api/proto/api.pb.h"
#include "client/client.h"
#include "crypto/ed25519.h"
#include "protocol/store.h"

namespace bulwark::client {

// Below this many one-time keys on the server, a connected client uploads a new batch.
inline constexpr std::uint32_t pre_key_low_water = 20;
inline constexpr std::uint32_t pre_key_batch = 100;

struct LoadedChannel;  // detail/channel_ops.h

struct Client::Impl {
  ClientOptions options;
  Clock& clock;
  Rng& rng;
  std::unique_ptr<LocalStore> store;
  std::unique_ptr<ServerConnection> connection;  // authenticated as this device
  std::optional<LocalAccount> account;            // cached copy of store->account()
  std::vector<KtAlert> alerts;                    // raised since open (client/transparency.h)
  bool monitored = false;                         // own account checked on this connection
  // Channels as last loaded for a push, by id: a push is checked against this, so that a post
  // to 19,000 online subscribers does not bring 19,000 ChannelInfo requests back to the server.
  std::map<Bytes, std::shared_ptr<LoadedChannel>> pushed_channels;
  // The server's pinned franking key (detail/franking_ops.h), read once rather than per message:
  // a pinned key never changes.
  std::optional<crypto::Ed25519PublicKey> franking_key;
  // Pushes a group operation read while catching up with its group (detail/group_ops.h) that
  // were not for it: Client::receive takes these before reading the connection again.
  std::deque<api::Push> deferred_pushes;
  // Whether the server's QueueEmpty marker was read on this connection: every envelope queued
  // for this device before it connected has then been read (detail/group_ops.h take_queued).
  bool queue_flushed = false;

  Impl(ClientOptions opts, Clock& c, Rng& r) : options(std::move(opts)), clock(c), rng(r) {}

  [[nodiscard]] std::int64_t now_ms() const;
  [[nodiscard]] protocol::ProtocolStores stores();
  [[nodiscard]] Result<const LocalAccount*> require_account();
  [[nodiscard]] Result<ServerAddress> server_address(const std::optional<std::string>& saved) const;
  [[nodiscard]] Result<std::unique_ptr<ServerConnection>> open_connection(const ServerAddress& address);
  // The authenticated connection, (re)connecting with backoff when needed.
  [[nodiscard]] Result<ServerConnection*> connected();
  // Sends and maps every non-OK status except those in `pass` to an Error.
  [[nodiscard]] Result<api::Response> call(api::Request request,
                                           std::initializer_list<api::Status> pass = {});
  [[nodiscard]] Result<void> replenish_pre_keys();
  [[nodiscard]] Result<void> save_account(const LocalAccount& updated);
};

// Maps a response status to an Error (Errc::rate_limited, not_found, network...).
[[nodiscard]] Error error_from_response(const api::Response& response);

// What a peer argument names: "+E164", "@username" or an account UUID.
struct PeerRef {
  enum class Kind { phone, username, account } kind;
  std::string value;  // E.164 as typed, canonical username without '@', or UUID text
};
[[nodiscard]] Result<PeerRef> parse_peer(std::string_view peer);

struct ResolvedPeer {
  Bytes account_id;
  std::string account_text;
  Bytes identity_key;
  std::vector<std::uint32_t> devices;
  std::optional<std::string> phone;
  std::optional<std::string> username;
};
// Looks the peer up on the server (and records its names as a contact).
[[nodiscard]] Result<ResolvedPeer> resolve_peer(Client::Impl& impl, std::string_view peer);
// Errc::untrusted_identity (noting the new key as pending) when the peer's identity key is not
// the one trusted for it: the user compares safety numbers and runs `bulwark trust` first.
[[nodiscard]] Result<void> refuse_changed_identity(Client::Impl& impl, const ResolvedPeer& peer);

}  // namespace bulwark::client
