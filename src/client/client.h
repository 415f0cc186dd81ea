// Client: one Bulwark account on this device (docs/CLIENT.md), the facade the CLI and the
// daemon drive. It owns the local encrypted store and opens a ServerConnection per operation
// (authenticating with the device key over a signed challenge), so every command works from a
// cold start and nothing depends on a long-lived process.
//
// Guarantees:
//  - a message is acknowledged to the server only after it is decrypted and committed to the
//    local inbox together with the session state and the envelope id (one transaction), so a
//    crash loses nothing and a redelivery is recognised and dropped;
//  - a contact's identity key is trusted on first use; a different key later makes sends to and
//    receipts from that contact fail with Errc::untrusted_identity until trust() accepts it.
//    Undecryptable-for-trust envelopes stay on the server (unacknowledged) so that accepting
//    the key later still delivers them.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/local_store.h"
#include "client/server_connection.h"
#include "common/clock.h"
#include "common/rng.h"

namespace bulwark::client {

struct ClientOptions {
  std::filesystem::path account_dir;
  StoreKey key;
  TlsTrust trust;
  std::optional<std::string> server_url;  // overrides the one saved at registration
  std::chrono::milliseconds timeout{15000};
};

struct AccountInfo {
  std::string account_id;  // UUID text
  std::uint32_t device_id = 0;
  std::string phone;
  std::optional<std::string> username;
  bool discoverable = false;
  std::vector<std::uint32_t> devices;
  std::string server_url;
};

struct SendReceipt {
  std::string recipient_account;
  std::vector<std::uint32_t> devices;
  std::int64_t server_timestamp_ms = 0;
};

struct ReceivedMessage {
  std::string envelope_id;     // 32 hex characters
  std::string sender_account;  // UUID text
  std::uint32_t sender_device = 0;
  std::optional<std::string> sender_phone;
  std::optional<std::string> sender_username;
  std::string body;
  std::int64_t sent_at_ms = 0;
  std::int64_t received_at_ms = 0;
  [[nodiscard]] std::string from() const;  // phone, else @username, else the account id
};

struct ReceiveEvent {
  enum class Kind { message, untrusted_identity, undecryptable, queue_empty };
  Kind kind = Kind::message;
  std::optional<ReceivedMessage> message;
  std::string sender_account;
  std::string detail;
};

struct SafetyNumber {
  std::string digits;  // 60 digits, as groups of five in display
  Bytes scannable;
  bool verified = false;
  std::optional<std::string> pending_key_change;  // set when a new key awaits trust
};

class Client {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Client>> open(ClientOptions options, Clock& clock,
                                                            Rng& rng);
  ~Client();

  // ---- registration ----
  // Asks the server at `server_url` to send a code; returns the phone in E.164 as the server
  // normalised it. Needs no local account (it comes before one exists).
  [[nodiscard]] static Result<std::string> request_code(const std::string& server_url,
                                                        const TlsTrust& trust,
                                                        std::string_view phone,
                                                        std::chrono::milliseconds timeout);
  // Creates the identity and device keys, registers them with the code and saves the account.
  [[nodiscard]] Result<AccountInfo> verify(std::string_view phone, std::string_view code,
                                           bool discoverable);
  [[nodiscard]] bool has_account() const;
  // Adds another device to this account, its local store in `new_account_dir` (opened with
  // `key`): the identity key pair is copied locally and never passes through the server.
  // Linking a device on another machine (a provisioning exchange) is not built yet.
  [[nodiscard]] Result<std::uint32_t> add_device(const std::filesystem::path& new_account_dir,
                                                 const StoreKey& key);

  // ---- account ----
  [[nodiscard]] Result<AccountInfo> whoami();
  [[nodiscard]] Result<void> set_username(std::string_view username);
  [[nodiscard]] Result<void> set_discoverable(bool discoverable);

  // ---- messages ----
  // `peer`: "+E164", "@username" or an account UUID.
  [[nodiscard]] Result<SendReceipt> send(std::string_view peer, std::string_view body);
  // Delivers every queued and arriving message to `on_event` until nothing arrives for
  // `idle_timeout` or `on_event` returns false. Messages left unshown by an earlier run (a
  // crash after commit) come first.
  [[nodiscard]] Result<void> receive(std::chrono::milliseconds idle_timeout,
                                     const std::function<bool(const ReceiveEvent&)>& on_event);

  // ---- contacts and trust ----
  [[nodiscard]] Result<std::vector<Contact>> contacts();
  [[nodiscard]] Result<SafetyNumber> safety_number(std::string_view peer);
  // Accepts the peer's current key (the pending one after a change): clears old sessions.
  [[nodiscard]] Result<void> trust(std::string_view peer, bool verified);

  // Opaque outside the client module (detail/client_impl.h); public so that the operation
  // files' free helpers can name it.
  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::client
