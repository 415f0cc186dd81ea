// ServerConfig: bulwark-server's settings from an optional TOML file, then command-line flags
// (flags win), then defaults. Every setting has a working default, so `bulwark-server
// --data-dir DIR` alone starts a complete server (docs/SERVER.md lists every key).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "moderation/rules.h"

namespace bulwark::server {

struct RateLimit {
  std::uint32_t burst = 0;                    // bucket size
  std::chrono::milliseconds refill_every{0};  // one token per this interval
};

// A moderator (docs/MODERATION.md): the name bulwark-admin sends and the Ed25519 public key
// its requests and actions must verify under. The private key never reaches the server.
struct ModeratorKey {
  std::string name;
  Bytes public_key;  // 32 bytes, a valid Ed25519 point (checked when the config is read)
};

inline constexpr std::size_t max_moderators = 256;
inline constexpr std::size_t max_lawful_operators = 16;

struct ServerConfig {
  std::filesystem::path data_dir = "bulwark-data";
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8443;  // 0: any free port (printed at start)
  std::string verification = "log";  // log | file:PATH | webhook:URL
  std::string log_level = "info";    // trace|debug|info|warn|error
  std::uint32_t threads = 0;         // I/O threads; 0 = number of cores
  // Benchmarks only: a second listener speaking plaintext WebSocket (no TLS), so that the
  // server can be measured the way a plaintext XMPP server is. Server::listen refuses any
  // address that is not loopback and logs a warning; devices authenticate on it with
  // api::plaintext_device_auth_message. Absent (the default): no such listener.
  std::optional<std::pair<std::string, std::uint16_t>> plaintext_listen;
  std::optional<std::filesystem::path> tls_cert;  // PEM; default DIR/tls/cert.pem (generated)
  std::optional<std::filesystem::path> tls_key;   // PEM; default DIR/tls/key.pem (generated)

  // The store (docs/OPERATIONS.md): "sqlite" keeps everything in DATA_DIR/bulwark.db for one
  // node; "postgres" uses the PostgreSQL database `postgres` names (a libpq connection string
  // or URI), which several nodes may share. Its password belongs in PGPASSWORD or ~/.pgpass:
  // the server never logs the string, but the config file is read by more than the server.
  std::string store_backend = "sqlite";
  std::string postgres;

  std::chrono::seconds code_lifetime{600};
  std::uint32_t code_max_attempts = 5;
  std::chrono::hours ip_retention{24 * 7};
  std::chrono::hours queue_retention{24 * 30};
  // Message franking (docs/FRANKING.md): stamping keys rotate every epoch; a message stays
  // provable by a report for `franking_reportable` after its epoch, then its key is destroyed.
  std::chrono::hours franking_epoch{24};
  std::chrono::hours franking_reportable{24 * 30};
  std::chrono::seconds auth_timeout{10};   // connect -> authenticated or registering
  std::chrono::seconds idle_timeout{300};  // no frame and no pong for this long
  std::uint32_t max_connections = 18000;
  std::size_t max_outgoing_queue_bytes = 1 << 20;  // per connection; slower readers are closed
  std::uint32_t max_unacked_envelopes = 256;       // per device in flight

  RateLimit code_per_phone{3, std::chrono::milliseconds(200'000)};  // 3 per 10 minutes
  RateLimit code_per_ip{10, std::chrono::minutes(10) / 10};
  RateLimit verify_per_phone{5, std::chrono::minutes(10) / 5};
  RateLimit requests_per_ip{200, std::chrono::milliseconds(10)};  // before authentication
  RateLimit sends_per_account{600, std::chrono::milliseconds(10)};
  RateLimit lookups_per_account{100, std::chrono::seconds(1)};

  // Key transparency (docs/KEY-TRANSPARENCY.md).
  std::string kt_origin = "localhost/bulwark-kt";  // the log's name in every checkpoint
  std::chrono::milliseconds kt_epoch{1000};        // one log entry this often, even if empty
  std::vector<std::string> kt_witnesses;           // cosigner vkeys (bulwark-witness keygen)
  std::optional<std::uint32_t> kt_quorum;          // cosignatures before serving; default all

  // Channels (docs/CHANNELS.md). A reader whose cursor is further behind than the window gets
  // the newest page and "resynced" instead of a flood (Telegram's channelDifferenceTooLong).
  std::uint64_t channel_resync_window = 100'000;
  std::uint32_t channel_web_page_posts = 20;

  // Public-content moderation (docs/MODERATION.md): [[moderation.moderator]] and
  // [[moderation.rule]]. Rules are compiled (moderation::RuleSet) when the config is read, so a
  // bad regex stops the server at start, never later.
  std::vector<ModeratorKey> moderators;
  std::vector<moderation::RuleSpec> moderation_rules;
  std::string moderation_hide_reason = "hidden automatically by a policy rule, pending review";

  // Lawful requests (docs/LAWFUL.md): [lawful] and [[lawful.operator]]. Without operators the
  // workflow is off: nothing can be approved, so nothing can be released.
  std::vector<ModeratorKey> lawful_operators;  // same shape as a moderator: name and key
  std::uint32_t lawful_approvals = 2;          // distinct operators' approvals per release
  std::string lawful_origin = "localhost/bulwark-disclosure";  // the disclosure log's name
  std::vector<std::string> lawful_witnesses;                   // its witnesses' cosigner vkeys
  std::optional<std::uint32_t> lawful_quorum;  // cosignatures before a release; default all

  // Cluster (docs/OPERATIONS.md "Cluster: the bus"): [cluster]. How live pushes reach devices
  // connected to other nodes: "local" (one node, no bus) or "nats" (NATS at nats_url, which may
  // list several servers separated by commas). node_id names this node on the bus, 1-128 of
  // [A-Za-z0-9._-]; empty: HOSTNAME-PID, chosen at start.
  std::string bus = "local";
  std::string nats_url = "nats://127.0.0.1:4222";
  std::string node_id;
};

// Whether `id` can name a node on the bus: 1-128 of [A-Za-z0-9._-].
[[nodiscard]] bool valid_node_id(std::string_view id);

// Reads `file` (when given) over the defaults. Unknown keys and values of the wrong type are
// errors naming the key (Errc::invalid_argument): a typo must not silently fall back.
[[nodiscard]] Result<ServerConfig> load_config(const std::optional<std::filesystem::path>& file);

// "HOST:PORT" (IPv6 as "[::1]:PORT") -> host, port; Errc::invalid_argument otherwise.
[[nodiscard]] Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

// The store settings go together: backend sqlite (no connection string, no NATS bus: embedded)
// or postgres (with one; a cluster when the bus is nats). Errc::invalid_argument naming the key
// otherwise; the connection string itself is never echoed.
[[nodiscard]] Result<void> check_store(const ServerConfig& config);

}  // namespace bulwark::server
