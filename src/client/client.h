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

#include "client/channel_types.h"
#include "client/group_types.h"
#include "client/local_store.h"
#include "client/server_connection.h"
#include "common/clock.h"
#include "common/rng.h"

namespace bulwark::client {

class Channels;
class Groups;  // client/groups.h
class Moderation;  // client/moderation.h
struct LawfulNoticeView;  // client/lawful_notices.h

struct ClientOptions {
  std::filesystem::path account_dir;
  StoreKey key;
  TlsTrust trust;
  std::optional<std::string> server_url;  // overrides the one saved at registration
  std::chrono::milliseconds timeout{15000};
};

// What this device requires of the key-transparency log, fixed at registration: witness
// cosigner vkeys it trusts and how many of them must cosign a checkpoint. Left empty, the
// server's own configuration is pinned (trust on first use, like its TLS certificate).
struct KtRequirements {
  std::vector<std::string> witnesses;
  std::optional<std::uint32_t> quorum;
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

// An abuse report the server verified and queued for its moderators (docs/FRANKING.md).
struct MessageReportReceipt {
  std::uint64_t case_id = 0;
  std::size_t messages = 0;  // revealed: the reported one and its context
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
  // channel_entry: a new entry of a channel this account subscribes to (verified or flagged).
  // group_event: something that arrived for an MLS group (client/groups.h).
  enum class Kind {
    message,
    untrusted_identity,
    undecryptable,
    queue_empty,
    channel_entry,
    group_event
  };
  Kind kind = Kind::message;
  std::optional<ReceivedMessage> message;
  std::optional<ChannelItem> channel_entry;
  std::optional<GroupEvent> group_event;
  std::string sender_account;
  std::string detail;
};

// A key-transparency checkpoint as shown to people (docs/KEY-TRANSPARENCY.md): two users who
// see the same origin, size and root see the same log.
struct CheckpointInfo {
  std::string origin;
  std::uint64_t size = 0;
  std::string root_hex;
  std::vector<std::string> cosigned_by;  // the witnesses whose cosignature verified
};

// Something about keys that this device did not do, found by key transparency. Any alert
// makes the CLI command that found it warn loudly and exit with code 4.
struct KtAlert {
  // ghost_device: the server lists a device the account's identity key never signed;
  // record_changed: the account's signed device list changed, and not by this device;
  // identity_changed: the log lists another identity key for this device's own account;
  // key_mismatch: the server gave a contact's identity key other than the log's;
  // log_inconsistent: the log is not consistent with what this device saw before (a fork,
  //   or history rewritten or truncated);
  // not_published: this device's keys are missing from the log long after they were made;
  // unwitnessed: the server's checkpoint lacks the log's signature or the witness
  //   cosignatures this device requires, so no key can be verified against it.
  std::string kind;
  std::string account;  // the account concerned, UUID text
  std::string message;  // what happened and what it means, for people
};

// `bulwark keys verify`: this account's entry in the log and what self-monitoring found.
struct KeysReport {
  std::string account_id;
  std::optional<std::uint32_t> version;  // in the log; none before the first publication
  std::vector<std::uint32_t> devices;    // signed by the identity key
  std::optional<CheckpointInfo> checkpoint;
  std::vector<KtAlert> alerts;
};

struct SafetyNumber {
  std::string digits;  // 60 digits, as groups of five in display
  Bytes scannable;
  bool verified = false;
  std::optional<std::string> pending_key_change;  // set when a new key awaits trust
  // The checkpoint the peer's keys were verified against, and their version in the log.
  std::optional<CheckpointInfo> checkpoint;
  std::optional<std::uint32_t> kt_version;
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
                                           bool discoverable, const KtRequirements& kt = {});
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
  // crash after commit) come first. New entries of subscribed channels arrive as
  // Kind::channel_entry events, each verified first (client/channels.h).
  [[nodiscard]] Result<void> receive(std::chrono::milliseconds idle_timeout,
                                     const std::function<bool(const ReceiveEvent&)>& on_event);
  // Reports a received message (`message_id`: its id as shown, 32 hex characters) as abuse,
  // with up to `context` (0-10) of the same sender's messages just before it, whose order the
  // server can check. Reveals to the operator only these messages - their text, sender and
  // proofs - and nothing else of the conversation. `category`: violence, drugs, csam, hate,
  // terrorism, spam or other. Errc::not_found for an unknown message; Errc::auth_failed when
  // the server refuses the proof (for example a message past the reportable window).
  [[nodiscard]] Result<MessageReportReceipt> report_message(std::string_view message_id,
                                                     std::string_view category,
                                                     std::string_view comment, std::uint32_t context);

  // ---- key transparency ----
  // Checks this account's own entry in the log now (also done on every connect).
  [[nodiscard]] Result<KeysReport> verify_keys();
  // Every alert raised since this Client was opened.
  [[nodiscard]] const std::vector<KtAlert>& alerts() const;

  // ---- contacts and trust ----
  [[nodiscard]] Result<std::vector<Contact>> contacts();
  [[nodiscard]] Result<SafetyNumber> safety_number(std::string_view peer);
  // Accepts the peer's current key (the pending one after a change): clears old sessions.
  [[nodiscard]] Result<void> trust(std::string_view peer, bool verified);

  // ---- channels (client/channels.h) ----
  [[nodiscard]] Channels channels();

  // ---- end-to-end encrypted groups on MLS (client/groups.h) ----
  [[nodiscard]] Groups groups();

  // ---- public-content moderation (client/moderation.h) ----
  [[nodiscard]] Moderation moderation();

  // ---- lawful requests (client/lawful_notices.h) ----
  // The disclosures of this account's data whose orders' non-disclosure periods have ended,
  // each checked against the disclosure log (pinned on first use) and this account's own phone
  // number; one that fails is flagged, never dropped. Errc::untrusted_identity when the server
  // now signs the log with another key than the pinned one.
  [[nodiscard]] Result<std::vector<LawfulNoticeView>> lawful_notices();

  // Opaque outside the client module (detail/client_impl.h); public so that the operation
  // files' free helpers can name it.
  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::client
