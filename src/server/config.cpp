// Configuration file layout (TOML). Every key is optional; an absent key keeps the default of
// ServerConfig. Unknown sections, unknown keys, wrong types and out-of-range values are errors
// naming the key, so a typo never silently falls back to a default.
// docs/bulwark-server.example.toml is this list as a loadable file (a test loads it).
//
//   [server]
//   listen = "127.0.0.1:8443"       # HOST:PORT or [V6]:PORT; port 0 = any free port
//   data_dir = "bulwark-data"       # relative paths are relative to the working directory
//   verification = "log"            # log | file:PATH | webhook:URL (checked by make_code_sender)
//   log_level = "info"              # trace | debug | info | warn | error
//   threads = 0                     # I/O threads, 0..1024; 0 = number of cores
//   plaintext_listen = "127.0.0.1:0"  # benchmarks only: a second, plaintext WebSocket
//                                   # listener, refused unless loopback (absent: none)
//
//   [tls]                           # both or neither; default DATA_DIR/tls/{cert,key}.pem
//   cert = "/etc/bulwark/cert.pem"
//   key = "/etc/bulwark/key.pem"
//
//   [registration]
//   code_lifetime_seconds = 600     # 1..86400
//   code_max_attempts = 5           # 1..100
//
//   [retention]
//   ip_days = 7                     # 0..3650; 0 = drop IP addresses at the next sweep
//   queue_days = 30                 # 1..3650
//
//   [limits]
//   auth_timeout_seconds = 10       # 1..3600
//   idle_timeout_seconds = 300      # 1..86400
//   max_connections = 18000         # 1..10000000
//   max_outgoing_queue_bytes = 1048576  # 1024..1073741824, per connection
//   max_unacked_envelopes = 256     # 1..65536, per device
//   # Token buckets: `burst` tokens (1..1000000), one more every `refill_ms` (1..86400000).
//   code_per_phone = { burst = 3, refill_ms = 180000 }
//   code_per_ip = { burst = 10, refill_ms = 60000 }
//   verify_per_phone = { burst = 5, refill_ms = 120000 }
//   requests_per_ip = { burst = 200, refill_ms = 10 }
//   sends_per_account = { burst = 600, refill_ms = 10 }
//   lookups_per_account = { burst = 100, refill_ms = 1000 }
//
//   [channels]
//   resync_window = 100000          # 100..100000000: a reader further behind gets "resync"
//   web_page_posts = 20             # 1..100: posts per page of the web preview
//
//   [franking]
//   epoch_hours = 24                # 1..720: how often the stamping key rotates
//   reportable_days = 30            # 1..3650: how long after its epoch a message can be proven
//
//   [moderation]                    # docs/MODERATION.md
//   hide_reason = "hidden automatically by a policy rule, pending review"
//   [[moderation.moderator]]        # at most 256; names unique, 1-64 bytes
//   name = "alice"
//   key = "BASE64"                  # bulwark-admin moderation keygen prints it
//   [[moderation.rule]]             # at most 64, tried in order (moderation/rules.h)
//   name = "spam-words"
//   kind = "keywords"               # keywords | regex | sha256
//   patterns = ["buy now"]
//   category = "spam"               # violence | drugs | csam | hate | terrorism | spam | other
//   action = "queue"                # queue | hide
//
//   [lawful]                        # lawful requests (docs/LAWFUL.md); off without operators
//   approvals = 2                   # 1..16 distinct operators' approvals before a release
//   log_origin = "localhost/bulwark-disclosure"  # the disclosure log's name
//   witnesses = ["VKEY"]            # the disclosure log's witnesses (bulwark-witness keygen);
//                                   # at least one when operators are configured
//   quorum = 1                      # 1..witnesses cosignatures before a release; default all
//   [[lawful.operator]]             # at most 16; names 1-64 of [A-Za-z0-9._-], keys distinct
//   name = "alice"
//   key = "BASE64"                  # bulwark-admin lawful keygen prints it
//
//   [cluster]                       # docs/OPERATIONS.md "Cluster: the bus"
//   bus = "local"                   # local (one node) | nats
//   nats_url = "nats://127.0.0.1:4222"  # with bus = "nats"; "URL,URL" lists several servers
//   node_id = "node-1"              # 1-128 of [A-Za-z0-9._-]; default HOSTNAME-PID
#include "server/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <exception>
#include <initializer_list>
#include <sstream>
#include <system_error>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "kt/note.h"
#include "lawful/approval.h"
#include "moderation/category.h"

namespace bulwark::server {
namespace {

using Keys = std::initializer_list<std::string_view>;

std::string key_name(std::string_view where, std::string_view key) {
  if (where.empty()) return std::string(key);
  return std::string(where) + "." + std::string(key);
}

// Every key of `table` must be one of `keys`.
Result<void> only_keys(const toml::table& table, std::string_view where, Keys keys) {
  for (const auto& [key, node] : table) {
    if (std::find(keys.begin(), keys.end(), key.str()) == keys.end()) {
      return fail(Errc::invalid_argument,
                  "config: unknown key '" + key_name(where, key.str()) + "'");
    }
  }
  return {};
}

// The table at `root[name]`, or nullptr when the section is absent.
Result<const toml::table*> section(const toml::table& root, std::string_view name) {
  const toml::node* node = root.get(name);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    return fail(Errc::invalid_argument, "config: '" + std::string(name) + "' must be a table");
  }
  return node->as_table();
}

Result<std::optional<std::int64_t>> integer_at(const toml::table& table, std::string_view where,
                                               std::string_view key, std::int64_t min,
                                               std::int64_t max) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::optional<std::int64_t>{};
  const auto* integer = node->as_integer();
  if (integer == nullptr) {
    return fail(Errc::invalid_argument,
                "config: '" + key_name(where, key) + "' must be an integer");
  }
  const std::int64_t value = integer->get();
  if (value < min || value > max) {
    return fail(Errc::invalid_argument, "config: '" + key_name(where, key) + "' must be in " +
                                            std::to_string(min) + ".." + std::to_string(max));
  }
  return std::optional<std::int64_t>{value};
}

Result<std::optional<std::string>> string_at(const toml::table& table, std::string_view where,
                                             std::string_view key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::optional<std::string>{};
  const auto* text = node->as_string();
  if (text == nullptr || text->get().empty()) {
    return fail(Errc::invalid_argument,
                "config: '" + key_name(where, key) + "' must be a non-empty string");
  }
  return std::optional<std::string>{text->get()};
}

// Stores an optional integer into a field of another integer or duration type.
template <class T>
void assign(const std::optional<std::int64_t>& value, T& field) {
  if (value) field = static_cast<T>(*value);
}

Result<void> read_server(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(
      only_keys(table, "server",
                {"listen", "data_dir", "verification", "log_level", "threads", "plaintext_listen"}));
  const auto listen = BULWARK_TRY(string_at(table, "server", "listen"));
  if (listen) {
    auto parsed = parse_listen(*listen);
    if (!parsed) {
      return fail(Errc::invalid_argument, "config: 'server.listen': " + parsed.error().context);
    }
    config.listen_host = parsed->first;
    config.listen_port = parsed->second;
  }
  const auto plaintext = BULWARK_TRY(string_at(table, "server", "plaintext_listen"));
  if (plaintext) {
    auto parsed = parse_listen(*plaintext);
    if (!parsed) {
      return fail(Errc::invalid_argument,
                  "config: 'server.plaintext_listen': " + parsed.error().context);
    }
    config.plaintext_listen = *parsed;
  }
  const auto data_dir = BULWARK_TRY(string_at(table, "server", "data_dir"));
  if (data_dir) config.data_dir = *data_dir;
  const auto verification = BULWARK_TRY(string_at(table, "server", "verification"));
  if (verification) config.verification = *verification;
  const auto log_level = BULWARK_TRY(string_at(table, "server", "log_level"));
  if (log_level) {
    constexpr std::array<std::string_view, 5> levels{"trace", "debug", "info", "warn", "error"};
    if (std::find(levels.begin(), levels.end(), *log_level) == levels.end()) {
      return fail(Errc::invalid_argument,
                  "config: 'server.log_level' must be trace, debug, info, warn or error");
    }
    config.log_level = *log_level;
  }
  const auto threads = BULWARK_TRY(integer_at(table, "server", "threads", 0, 1024));
  assign(threads, config.threads);
  return {};
}

Result<void> read_tls(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "tls", {"cert", "key"}));
  const auto cert = BULWARK_TRY(string_at(table, "tls", "cert"));
  const auto key = BULWARK_TRY(string_at(table, "tls", "key"));
  // A certificate without its key (or the reverse) cannot serve TLS; the generated pair is
  // only used when neither is given.
  if (cert.has_value() != key.has_value()) {
    return fail(Errc::invalid_argument, "config: 'tls.cert' and 'tls.key' go together");
  }
  if (cert) {
    config.tls_cert = *cert;
    config.tls_key = *key;
  }
  return {};
}

Result<void> read_store(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "store", {"backend", "postgres"}));
  const auto backend = BULWARK_TRY(string_at(table, "store", "backend"));
  if (backend) config.store_backend = *backend;
  const auto postgres = BULWARK_TRY(string_at(table, "store", "postgres"));
  if (postgres) config.postgres = *postgres;
  return {};
}

Result<void> read_registration(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "registration", {"code_lifetime_seconds", "code_max_attempts"}));
  const auto lifetime =
      BULWARK_TRY(integer_at(table, "registration", "code_lifetime_seconds", 1, 86'400));
  if (lifetime) config.code_lifetime = std::chrono::seconds(*lifetime);
  const auto attempts = BULWARK_TRY(integer_at(table, "registration", "code_max_attempts", 1, 100));
  assign(attempts, config.code_max_attempts);
  return {};
}

Result<void> read_retention(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "retention", {"ip_days", "queue_days"}));
  const auto ip_days = BULWARK_TRY(integer_at(table, "retention", "ip_days", 0, 3650));
  if (ip_days) config.ip_retention = std::chrono::hours(24 * *ip_days);
  const auto queue_days = BULWARK_TRY(integer_at(table, "retention", "queue_days", 1, 3650));
  if (queue_days) config.queue_retention = std::chrono::hours(24 * *queue_days);
  return {};
}

// `limits.<key> = { burst = N, refill_ms = M }`.
Result<void> read_rate_limit(const toml::table& limits, std::string_view key, RateLimit& limit) {
  const std::string where = key_name("limits", key);
  const toml::node* node = limits.get(key);
  if (node == nullptr) return {};
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return fail(Errc::invalid_argument,
                "config: '" + where + "' must be a table { burst = N, refill_ms = M }");
  }
  BULWARK_TRY(only_keys(*table, where, {"burst", "refill_ms"}));
  const auto burst = BULWARK_TRY(integer_at(*table, where, "burst", 1, 1'000'000));
  assign(burst, limit.burst);
  const auto refill = BULWARK_TRY(integer_at(*table, where, "refill_ms", 1, 86'400'000));
  if (refill) limit.refill_every = std::chrono::milliseconds(*refill);
  return {};
}

Result<void> read_limits(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(
      table, "limits",
      {"auth_timeout_seconds", "idle_timeout_seconds", "max_connections",
       "max_outgoing_queue_bytes", "max_unacked_envelopes", "code_per_phone", "code_per_ip",
       "verify_per_phone", "requests_per_ip", "sends_per_account", "lookups_per_account"}));
  const auto auth = BULWARK_TRY(integer_at(table, "limits", "auth_timeout_seconds", 1, 3600));
  if (auth) config.auth_timeout = std::chrono::seconds(*auth);
  const auto idle = BULWARK_TRY(integer_at(table, "limits", "idle_timeout_seconds", 1, 86'400));
  if (idle) config.idle_timeout = std::chrono::seconds(*idle);
  const auto connections =
      BULWARK_TRY(integer_at(table, "limits", "max_connections", 1, 10'000'000));
  assign(connections, config.max_connections);
  const auto queue_bytes =
      BULWARK_TRY(integer_at(table, "limits", "max_outgoing_queue_bytes", 1024, 1 << 30));
  assign(queue_bytes, config.max_outgoing_queue_bytes);
  const auto unacked = BULWARK_TRY(integer_at(table, "limits", "max_unacked_envelopes", 1, 65'536));
  assign(unacked, config.max_unacked_envelopes);
  BULWARK_TRY(read_rate_limit(table, "code_per_phone", config.code_per_phone));
  BULWARK_TRY(read_rate_limit(table, "code_per_ip", config.code_per_ip));
  BULWARK_TRY(read_rate_limit(table, "verify_per_phone", config.verify_per_phone));
  BULWARK_TRY(read_rate_limit(table, "requests_per_ip", config.requests_per_ip));
  BULWARK_TRY(read_rate_limit(table, "sends_per_account", config.sends_per_account));
  BULWARK_TRY(read_rate_limit(table, "lookups_per_account", config.lookups_per_account));
  return {};
}

Result<void> read_transparency(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "transparency", {"origin", "epoch_ms", "witnesses", "quorum"}));
  const auto origin = BULWARK_TRY(string_at(table, "transparency", "origin"));
  if (origin) config.kt_origin = *origin;
  const auto epoch = BULWARK_TRY(integer_at(table, "transparency", "epoch_ms", 10, 3'600'000));
  if (epoch) config.kt_epoch = std::chrono::milliseconds(*epoch);
  if (const toml::node* node = table.get("witnesses")) {
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return fail(Errc::invalid_argument, "config: 'transparency.witnesses' must be an array");
    }
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (text == nullptr) {
        return fail(Errc::invalid_argument,
                    "config: 'transparency.witnesses' must list witness keys as strings");
      }
      config.kt_witnesses.push_back(text->get());
    }
  }
  const auto quorum = BULWARK_TRY(integer_at(table, "transparency", "quorum", 0, 100));
  if (quorum) config.kt_quorum = static_cast<std::uint32_t>(*quorum);
  return {};
}

Result<void> read_channels(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "channels", {"resync_window", "web_page_posts"}));
  const auto window = BULWARK_TRY(integer_at(table, "channels", "resync_window", 100, 100'000'000));
  assign(window, config.channel_resync_window);
  const auto page = BULWARK_TRY(integer_at(table, "channels", "web_page_posts", 1, 100));
  assign(page, config.channel_web_page_posts);
  return {};
}

Result<void> read_franking(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "franking", {"epoch_hours", "reportable_days"}));
  const auto epoch = BULWARK_TRY(integer_at(table, "franking", "epoch_hours", 1, 720));
  if (epoch) config.franking_epoch = std::chrono::hours(*epoch);
  const auto days = BULWARK_TRY(integer_at(table, "franking", "reportable_days", 1, 3650));
  if (days) config.franking_reportable = std::chrono::hours(24 * *days);
  return {};
}

// An array of tables (`[[where.key]]`), each handed to `read`.
template <class Read>
Result<void> each_table(const toml::table& table, std::string_view where, std::string_view key,
                        Read read) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const toml::array* array = node->as_array();
  if (array == nullptr)
    return fail(Errc::invalid_argument, "config: '" + key_name(where, key) + "' must be [[" +
                                            key_name(where, key) + "]] tables");
  for (const toml::node& item : *array) {
    const toml::table* entry = item.as_table();
    if (entry == nullptr)
      return fail(Errc::invalid_argument,
                  "config: '" + key_name(where, key) + "' must hold tables");
    BULWARK_TRY(read(*entry));
  }
  return {};
}

Result<std::string> required_string(const toml::table& table, std::string_view where,
                                    std::string_view key) {
  auto value = BULWARK_TRY(string_at(table, where, key));
  if (!value)
    return fail(Errc::invalid_argument, "config: '" + key_name(where, key) + "' is required");
  return std::move(*value);
}

Result<void> read_moderator(const toml::table& table, ServerConfig& config) {
  constexpr std::string_view where = "moderation.moderator";
  BULWARK_TRY(only_keys(table, where, {"name", "key"}));
  ModeratorKey moderator;
  moderator.name = BULWARK_TRY(required_string(table, where, "name"));
  if (moderator.name.size() > 64)
    return fail(Errc::invalid_argument, "config: moderator names are 1-64 bytes");
  for (const ModeratorKey& other : config.moderators)
    if (other.name == moderator.name)
      return fail(Errc::invalid_argument,
                  "config: moderator '" + moderator.name + "' is listed twice");
  if (config.moderators.size() >= max_moderators)
    return fail(Errc::invalid_argument, "config: at most 256 moderators");
  const std::string key = BULWARK_TRY(required_string(table, where, "key"));
  auto bytes = crypto::base64_decode(key);
  if (!bytes || !crypto::Ed25519PublicKey::from_bytes(*bytes))
    return fail(Errc::invalid_argument, "config: moderator '" + moderator.name +
                                            "' needs a base64 Ed25519 public key "
                                            "(bulwark-admin moderation keygen prints one)");
  // One key, one moderator: appeals go to a different moderator, which the server tells apart
  // by name, so a key listed under two names would let its holder decide their own appeal.
  for (const ModeratorKey& other : config.moderators)
    if (other.public_key == *bytes)
      return fail(Errc::invalid_argument, "config: moderators '" + other.name + "' and '" +
                                              moderator.name + "' have the same key");
  moderator.public_key = std::move(*bytes);
  config.moderators.push_back(std::move(moderator));
  return {};
}

Result<void> read_rule(const toml::table& table, ServerConfig& config) {
  constexpr std::string_view where = "moderation.rule";
  BULWARK_TRY(only_keys(table, where, {"name", "kind", "patterns", "category", "action"}));
  moderation::RuleSpec rule;
  rule.name = BULWARK_TRY(required_string(table, where, "name"));
  const std::string kind = BULWARK_TRY(required_string(table, where, "kind"));
  auto parsed_kind = moderation::rule_kind_from_name(kind);
  if (!parsed_kind)
    return fail(Errc::invalid_argument,
                "config: rule '" + rule.name + "': kind must be keywords, regex or sha256");
  rule.kind = *parsed_kind;
  const std::string category = BULWARK_TRY(required_string(table, where, "category"));
  auto parsed_category = moderation::category_from_name(category);
  if (!parsed_category)
    return fail(Errc::invalid_argument,
                "config: rule '" + rule.name + "': unknown category '" + category + "'");
  rule.category = *parsed_category;
  const auto action = BULWARK_TRY(string_at(table, where, "action"));
  auto parsed_action = moderation::rule_effect_from_name(action.value_or("queue"));
  if (!parsed_action)
    return fail(Errc::invalid_argument,
                "config: rule '" + rule.name + "': action must be queue or hide");
  rule.effect = *parsed_action;
  const toml::node* patterns = table.get("patterns");
  const toml::array* array = patterns == nullptr ? nullptr : patterns->as_array();
  if (array == nullptr)
    return fail(Errc::invalid_argument,
                "config: rule '" + rule.name + "': patterns must be an array");
  for (const toml::node& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr)
      return fail(Errc::invalid_argument, "config: rule '" + rule.name + "': patterns are strings");
    rule.patterns.push_back(text->get());
  }
  config.moderation_rules.push_back(std::move(rule));
  return {};
}

Result<void> read_moderation(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "moderation", {"hide_reason", "moderator", "rule"}));
  const auto reason = BULWARK_TRY(string_at(table, "moderation", "hide_reason"));
  if (reason) {
    if (reason->size() > 1000)
      return fail(Errc::invalid_argument, "config: 'moderation.hide_reason' is at most 1000 bytes");
    config.moderation_hide_reason = *reason;
  }
  BULWARK_TRY(each_table(table, "moderation", "moderator",
                         [&](const toml::table& entry) { return read_moderator(entry, config); }));
  BULWARK_TRY(each_table(table, "moderation", "rule",
                         [&](const toml::table& entry) { return read_rule(entry, config); }));
  // Compiled once here so that a bad pattern is a config error at start.
  if (auto compiled = moderation::RuleSet::compile(config.moderation_rules); !compiled)
    return fail(Errc::invalid_argument, "config: " + compiled.error().context);
  return {};
}

Result<void> read_lawful_operator(const toml::table& table, ServerConfig& config) {
  constexpr std::string_view where = "lawful.operator";
  BULWARK_TRY(only_keys(table, where, {"name", "key"}));
  ModeratorKey person;
  person.name = BULWARK_TRY(required_string(table, where, "name"));
  if (!lawful::is_operator_name(person.name))
    return fail(Errc::invalid_argument, "config: operator names are 1-64 of [A-Za-z0-9._-]");
  if (config.lawful_operators.size() >= max_lawful_operators)
    return fail(Errc::invalid_argument, "config: at most 16 lawful-request operators");
  const std::string key = BULWARK_TRY(required_string(table, where, "key"));
  auto bytes = crypto::base64_decode(key);
  if (!bytes || !crypto::Ed25519PublicKey::from_bytes(*bytes))
    return fail(Errc::invalid_argument, "config: operator '" + person.name +
                                            "' needs a base64 Ed25519 public key "
                                            "(bulwark-admin lawful keygen prints one)");
  // Distinct names and keys: M-of-N means M different people.
  for (const ModeratorKey& other : config.lawful_operators)
    if (other.name == person.name || other.public_key == *bytes)
      return fail(Errc::invalid_argument, "config: operators '" + other.name + "' and '" +
                                              person.name + "' share a name or a key");
  person.public_key = std::move(*bytes);
  config.lawful_operators.push_back(std::move(person));
  return {};
}

Result<void> read_lawful(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(
      only_keys(table, "lawful", {"approvals", "log_origin", "witnesses", "quorum", "operator"}));
  const auto approvals = BULWARK_TRY(integer_at(table, "lawful", "approvals", 1, 16));
  if (approvals) config.lawful_approvals = static_cast<std::uint32_t>(*approvals);
  const auto origin = BULWARK_TRY(string_at(table, "lawful", "log_origin"));
  if (origin) {
    if (!kt::is_valid_key_name(*origin))
      return fail(Errc::invalid_argument, "config: 'lawful.log_origin' must be a note key name");
    config.lawful_origin = *origin;
  }
  if (const toml::node* node = table.get("witnesses")) {
    const toml::array* array = node->as_array();
    if (array == nullptr)
      return fail(Errc::invalid_argument, "config: 'lawful.witnesses' must be an array");
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (text == nullptr)
        return fail(Errc::invalid_argument,
                    "config: 'lawful.witnesses' must list witness keys as strings");
      config.lawful_witnesses.push_back(text->get());
    }
  }
  const auto quorum = BULWARK_TRY(integer_at(table, "lawful", "quorum", 0, 100));
  if (quorum) config.lawful_quorum = static_cast<std::uint32_t>(*quorum);
  BULWARK_TRY(each_table(table, "lawful", "operator", [&](const toml::table& entry) {
    return read_lawful_operator(entry, config);
  }));
  for (std::size_t i = 0; i < config.lawful_witnesses.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (config.lawful_witnesses[i] == config.lawful_witnesses[j])
        return fail(Errc::invalid_argument, "config: 'lawful.witnesses' lists a witness twice");
  if (config.lawful_quorum && *config.lawful_quorum > config.lawful_witnesses.size())
    return fail(Errc::invalid_argument,
                "config: 'lawful.quorum' exceeds the number of 'lawful.witnesses': nothing could "
                "ever be released");
  // Releasing data needs its answer witnessed: with operators (the workflow on) at least one
  // witness must cosign.
  if (!config.lawful_operators.empty() &&
      (config.lawful_witnesses.empty() || config.lawful_quorum == 0u))
    return fail(Errc::invalid_argument,
                "config: 'lawful.witnesses' must list at least one witness, and 'lawful.quorum' "
                "be at least 1, when operators are configured: no data may leave without an "
                "independent witness's cosignature of its disclosure log entry");
  if (!config.lawful_operators.empty() && config.lawful_approvals > config.lawful_operators.size())
    return fail(Errc::invalid_argument,
                "config: 'lawful.approvals' (" + std::to_string(config.lawful_approvals) +
                    ") exceeds the " + std::to_string(config.lawful_operators.size()) +
                    " configured operators: nothing could ever be released");
  return {};
}

Result<void> read_cluster(const toml::table& table, ServerConfig& config) {
  BULWARK_TRY(only_keys(table, "cluster", {"bus", "nats_url", "node_id"}));
  const auto bus = BULWARK_TRY(string_at(table, "cluster", "bus"));
  if (bus) {
    if (*bus != "local" && *bus != "nats")
      return fail(Errc::invalid_argument, "config: 'cluster.bus' must be \"local\" or \"nats\"");
    config.bus = *bus;
  }
  const auto url = BULWARK_TRY(string_at(table, "cluster", "nats_url"));
  if (url) {
    if (url->empty() || url->size() > 1024)
      return fail(Errc::invalid_argument, "config: 'cluster.nats_url' must be 1-1024 bytes");
    config.nats_url = *url;
  }
  const auto node_id = BULWARK_TRY(string_at(table, "cluster", "node_id"));
  if (node_id) {
    if (!valid_node_id(*node_id))
      return fail(Errc::invalid_argument,
                  "config: 'cluster.node_id' must be 1-128 of [A-Za-z0-9._-]");
    config.node_id = *node_id;
  }
  return {};
}

using SectionReader = Result<void> (*)(const toml::table&, ServerConfig&);

}  // namespace

Result<void> check_store(const ServerConfig& config) {
  if (config.store_backend == "sqlite") {
    if (!config.postgres.empty()) {
      return fail(Errc::invalid_argument,
                  "config: 'store.postgres' is set but 'store.backend' is sqlite");
    }
    // Nodes on a bus share one database; a SQLite file belongs to one process.
    if (config.bus == "nats") {
      return fail(Errc::invalid_argument,
                  "config: 'cluster.bus' nats joins nodes that share one database: it needs "
                  "'store.backend' postgres");
    }
    return {};
  }
  if (config.store_backend != "postgres") {
    return fail(Errc::invalid_argument, "config: 'store.backend' must be sqlite or postgres");
  }
  if (config.postgres.empty()) {
    return fail(Errc::invalid_argument,
                "config: 'store.backend' postgres needs 'store.postgres', the connection string");
  }
  return {};
}

namespace {

Result<ServerConfig> read_document(const toml::table& root) {
  BULWARK_TRY(only_keys(root, "",
                        {"server", "tls", "store", "registration", "retention", "limits",
                         "transparency", "channels", "franking", "moderation", "lawful",
                         "cluster"}));
  constexpr std::array<std::pair<std::string_view, SectionReader>, 12> readers{{
      {"server", read_server},
      {"tls", read_tls},
      {"store", read_store},
      {"registration", read_registration},
      {"retention", read_retention},
      {"limits", read_limits},
      {"transparency", read_transparency},
      {"channels", read_channels},
      {"franking", read_franking},
      {"moderation", read_moderation},
      {"lawful", read_lawful},
      {"cluster", read_cluster},
  }};
  ServerConfig config;
  for (const auto& [name, reader] : readers) {
    const toml::table* table = BULWARK_TRY(section(root, name));
    if (table != nullptr) BULWARK_TRY(reader(*table, config));
  }
  BULWARK_TRY(check_store(config));
  return config;
}

std::string describe_parse_error(const toml::parse_error& error,
                                 const std::filesystem::path& file) {
  std::ostringstream out;
  out << "config " << file.string() << ":" << error.source().begin.line << ":"
      << error.source().begin.column << ": " << error.description();
  return out.str();
}

}  // namespace

Result<ServerConfig> load_config(const std::optional<std::filesystem::path>& file) {
  if (!file) return ServerConfig{};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*file, ec)) {
    return fail(Errc::not_found, "config file " + file->string() + " does not exist or is no file");
  }
  // toml++ reports syntax errors by exception; none may cross this function.
  try {
    const toml::table root = toml::parse_file(file->string());
    return read_document(root);
  } catch (const toml::parse_error& error) {
    return fail(Errc::invalid_argument, describe_parse_error(error, *file));
  } catch (const std::exception& error) {
    return fail(Errc::invalid_argument, "config " + file->string() + ": " + error.what());
  }
}

bool valid_node_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
  const auto bad = [&text](std::string_view why) {
    return fail(Errc::invalid_argument,
                "listen address '" + std::string(text) + "' " + std::string(why));
  };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("must be [IPV6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("must be HOST:PORT");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    // An unbracketed IPv6 address is ambiguous: is "::1:80" host "::1", port 80?
    if (host.find(':') != std::string_view::npos) return bad("needs brackets: [IPV6]:PORT");
  }
  const auto bad_char = [](char c) {
    return c <= ' ' || c > '~' || c == '[' || c == ']' || c == '/' || c == '@';
  };
  if (host.empty() || std::any_of(host.begin(), host.end(), bad_char))
    return bad("has no valid host");
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad("has no valid port");
  }
  const unsigned long value = std::stoul(std::string(port));
  if (value > 65535) return bad("has a port above 65535");
  return std::pair{std::string(host), static_cast<std::uint16_t>(value)};
}

}  // namespace bulwark::server
