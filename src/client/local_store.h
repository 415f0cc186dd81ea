// LocalStore: everything a client device keeps, in one SQLCipher database (docs/CLIENT.md).
// Encrypted at rest with a key from a passphrase or a 0600 key file; nothing in it is ever
// sent to the server except public keys.
//
// It implements the five protocol store interfaces (protocol/store.h) over its tables, plus
// the client's own state: its account, its contacts and their trust state, envelope ids
// already processed (deduplication), a durable inbox of decrypted messages not yet shown, and
// the channels it has seen (pinned on first use) with the keys of those it created.
//
// Atomicity: transaction() runs a function inside BEGIN IMMEDIATE ... COMMIT and rolls back if
// the function returns an error, so decrypt + save session + save message + mark envelope seen
// is one unit: a crash leaves either all of it or none. Calls made outside transaction() are
// atomic one by one. Identity trust is keyed by account (ProtocolAddress::name): all of an
// account's devices share one identity key. Every ProtocolAddress::name given to the store must
// be an account id as UUID text (client/uuid.h); any other name is Errc::invalid_argument.
//
// Not thread-safe: one LocalStore per thread. Only one process may open a data directory at a
// time (an advisory lock file, see open()).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/pinned_keys.h"
#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/pwhash.h"
#include "protocol/store.h"

namespace bulwark::client {

// The key that opens the database: derived from a passphrase, or read from a key file.
struct StoreKey {
  SecretBytes key;  // 32 bytes, handed to SQLCipher as a raw key
};

// Reads a 32-byte key file (hex or raw); refuses a file that group or others may read
// (Errc::invalid_argument, naming the path and mode), or creates one with 0600 when absent
// and `create` is set (64 hex digits and a newline, from the system CSPRNG). Errc::not_found
// when absent and `create` is not set.
[[nodiscard]] Result<StoreKey> load_key_file(const std::filesystem::path& path, bool create);
// Argon2id (libsodium crypto_pwhash, moderate limits) of the passphrase with a per-database salt
// stored beside the database in `salt_path` (created on first use).
// The salt file holds 32 hex digits; an empty passphrase is Errc::invalid_argument.
[[nodiscard]] Result<StoreKey> derive_key(std::string_view passphrase,
                                          const std::filesystem::path& salt_path);
// The same with explicit Argon2id limits: tests use `interactive` to stay fast.
[[nodiscard]] Result<StoreKey> derive_key(std::string_view passphrase,
                                          const std::filesystem::path& salt_path,
                                          crypto::PwhashStrength strength);

struct LocalAccount {
  std::string server_url;
  std::string phone;             // E.164
  Bytes account_id;              // 16 bytes
  std::uint32_t device_id = 0;
  std::optional<std::string> username;
  RegistrationId registration_id;
  SecretBytes auth_secret_key;   // Ed25519 secret key (64 bytes) for device authentication
  Bytes auth_public_key;         // 32 bytes
  SecretBytes identity_private;  // 32 bytes (X25519 scalar)
  Bytes identity_public;         // 33 bytes
  std::uint32_t next_pre_key_id = 1;
  std::uint32_t next_kyber_pre_key_id = 1;
  std::uint32_t next_signed_pre_key_id = 1;
};

// The trust placed in a contact's trusted key (Contact::identity_key). A changed key never
// replaces it by itself: it waits in Contact::pending_identity_key for trust_identity().
enum class TrustLevel {
  untrusted,        // the user refused the key: it is not used until trusted again
  trusted_unverified,  // trust on first use
  verified,         // the user compared safety numbers
};

struct Contact {
  Bytes account_id;  // 16 bytes
  std::optional<std::string> phone;
  std::optional<std::string> username;
  std::optional<Bytes> identity_key;          // the trusted key (33 bytes)
  std::optional<Bytes> pending_identity_key;  // a different key seen since, not yet accepted
  TrustLevel trust = TrustLevel::trusted_unverified;
};

// The key-transparency log this client trusts (pinned at registration) and its view of it.
struct KtTrust {
  std::string origin;
  std::string log_key;                 // C2SP vkey of the log's signatures
  Bytes vrf_public_key;                // 32 bytes
  std::vector<std::string> witnesses;  // cosigner vkeys
  std::uint32_t quorum = 0;            // cosignatures required on a checkpoint
  std::uint64_t size = 0;              // the last accepted checkpoint: 0 before the first
  std::optional<Bytes> root;
  std::optional<std::string> checkpoint;  // its signed note, for display
};

// The newest verified account record of an account (kt/account_record.h), with the KT
// version it was published as (none for this device's own record not yet seen in the log).
struct KtRecord {
  Bytes account_id;
  std::optional<std::uint32_t> version;
  Bytes record;
};

// A channel this device has seen (client/channels.h), pinned on first use: its id, handle and
// channel key never change afterwards.
struct PinnedChannel {
  Bytes channel_id;    // 16 bytes
  std::string handle;  // canonical
  Bytes channel_key;   // 32 bytes, Ed25519
  bool is_private = false;
  bool subscribed = false;
  std::uint64_t cursor = 0;          // the highest seq this device has shown
  std::optional<SecretBytes> invite;  // a private channel's invite secret (32 bytes), if held
  std::int64_t pinned_at_ms = 0;
};

struct InboxMessage {
  std::uint64_t seq = 0;     // local order of arrival
  Bytes envelope_id;         // 16 bytes
  Bytes sender_account;      // 16 bytes
  std::uint32_t sender_device = 0;
  std::string body;
  std::int64_t sent_at_ms = 0;      // the sender's claim
  std::int64_t received_at_ms = 0;  // server timestamp
  bool shown = false;
};

// What a received message's franking opening is (docs/FRANKING.md): with the message's body
// and sender (in the inbox), all a report needs to prove it.
struct InboxFranking {
  std::uint64_t seq = 0;     // the inbox message's
  Bytes message_id;          // 16 bytes, the sender's
  Bytes franking_key;        // 32 bytes
  Bytes previous;            // 32 bytes: the sender's tag before this one
  Bytes tag;                 // 32 bytes
  Bytes stamp;               // the server's stamp, franking/stamp.h wire form
};

class LocalStore final : public protocol::IdentityKeyStore,
                         public protocol::SessionStore,
                         public protocol::PreKeyStore,
                         public protocol::SignedPreKeyStore,
                         public protocol::KyberPreKeyStore {
 public:
  // Opens (creating when absent) DIR/client.db with `key`; Errc::auth_failed when the key is
  // wrong, Errc::conflict when another process holds the directory's lock.
  [[nodiscard]] static Result<std::unique_ptr<LocalStore>> open(const std::filesystem::path& dir,
                                                                const StoreKey& key);
  ~LocalStore() override;
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  [[nodiscard]] Result<void> transaction(const std::function<Result<void>()>& body);

  // ---- the account of this device ----
  [[nodiscard]] Result<std::optional<LocalAccount>> account() const;
  [[nodiscard]] Result<void> save_account(const LocalAccount& account);  // insert or replace
  // The protocol identity store reads the account's identity; calling it before an account is
  // saved is a contract violation. The reference stays valid until the identity key changes.
  [[nodiscard]] const protocol::IdentityKeyPair& identity_key_pair() const override;
  [[nodiscard]] RegistrationId local_registration_id() const override;

  // ---- contacts and trust ----
  [[nodiscard]] Result<std::optional<Contact>> contact(ByteView account_id) const;
  [[nodiscard]] Result<std::optional<Contact>> contact_by_phone(std::string_view phone) const;
  [[nodiscard]] Result<std::optional<Contact>> contact_by_username(std::string_view username) const;
  [[nodiscard]] Result<std::vector<Contact>> contacts() const;
  // Inserts or updates phone/username (keeps trust fields). A nullopt keeps the stored value;
  // a phone or username given here is taken from any other contact that had it, since each
  // names one account at a time.
  [[nodiscard]] Result<void> upsert_contact_names(ByteView account_id,
                                                  const std::optional<std::string>& phone,
                                                  const std::optional<std::string>& username);
  // Accepts the pending key (or `key`) as trusted: the user's explicit decision. The pending
  // key is cleared when it is `identity_key`. Sessions made with an older key are not
  // deleted here: call delete_sessions() as well after a key change.
  [[nodiscard]] Result<void> trust_identity(ByteView account_id, ByteView identity_key,
                                            TrustLevel level);
  // Removes every session with the account's devices (after a key change or a stale device).
  [[nodiscard]] Result<void> delete_sessions(ByteView account_id);
  [[nodiscard]] Result<void> delete_session(const protocol::ProtocolAddress& address);
  [[nodiscard]] Result<std::vector<std::uint32_t>> session_devices(ByteView account_id) const;

  // protocol::IdentityKeyStore. Trust on first use; a different key is recorded as pending and
  // is not trusted until trust_identity().
  [[nodiscard]] Result<bool> is_trusted_identity(const protocol::ProtocolAddress& address,
                                                 const protocol::IdentityKey& key,
                                                 protocol::Direction direction) const override;
  [[nodiscard]] Result<void> save_identity(const protocol::ProtocolAddress& address,
                                           const protocol::IdentityKey& key) override;
  [[nodiscard]] Result<std::optional<protocol::IdentityKey>> identity(
      const protocol::ProtocolAddress& address) const override;
  // Records `key` as the pending key of the address's account when it differs from the
  // trusted one (so `bulwark trust` can show and accept it).
  [[nodiscard]] Result<void> note_untrusted_identity(const protocol::ProtocolAddress& address,
                                                     const protocol::IdentityKey& key);

  // protocol::SessionStore
  [[nodiscard]] Result<std::optional<protocol::SessionRecord>> load_session(
      const protocol::ProtocolAddress& address) const override;
  [[nodiscard]] Result<void> store_session(const protocol::ProtocolAddress& address,
                                           const protocol::SessionRecord& record) override;

  // protocol::PreKeyStore, SignedPreKeyStore, KyberPreKeyStore
  [[nodiscard]] Result<protocol::PreKeyRecord> load_pre_key(PreKeyId id) const override;
  [[nodiscard]] Result<void> store_pre_key(const protocol::PreKeyRecord& record) override;
  [[nodiscard]] Result<void> remove_pre_key(PreKeyId id) override;
  [[nodiscard]] Result<protocol::SignedPreKeyRecord> load_signed_pre_key(
      SignedPreKeyId id) const override;
  [[nodiscard]] Result<void> store_signed_pre_key(
      const protocol::SignedPreKeyRecord& record) override;
  [[nodiscard]] Result<protocol::KyberPreKeyRecord> load_kyber_pre_key(
      KyberPreKeyId id) const override;
  [[nodiscard]] Result<void> store_kyber_pre_key(const protocol::KyberPreKeyRecord& record,
                                                 protocol::KyberPreKeyKind kind) override;
  [[nodiscard]] Result<void> mark_kyber_pre_key_used(KyberPreKeyId id,
                                                     SignedPreKeyId signed_pre_key_id,
                                                     const protocol::PublicKey& base_key) override;
  [[nodiscard]] Result<std::uint32_t> pre_key_count() const;
  [[nodiscard]] Result<std::uint32_t> kyber_one_time_pre_key_count() const;

  // ---- key transparency ----
  [[nodiscard]] Result<std::optional<KtTrust>> kt_trust() const;
  [[nodiscard]] Result<void> save_kt_trust(const KtTrust& trust);  // insert or replace
  [[nodiscard]] Result<std::optional<KtRecord>> kt_record(ByteView account_id) const;
  [[nodiscard]] Result<void> save_kt_record(const KtRecord& record);  // insert or replace

  // ---- channels ----
  [[nodiscard]] Result<std::optional<PinnedChannel>> pinned_channel(std::string_view handle) const;
  [[nodiscard]] Result<std::optional<PinnedChannel>> pinned_channel_by_id(ByteView id) const;
  // Pins a channel seen for the first time. Errc::conflict when its id or handle is pinned.
  [[nodiscard]] Result<void> pin_channel(const PinnedChannel& channel);
  // Errc::not_found for a channel not pinned, in all three.
  [[nodiscard]] Result<void> set_channel_subscribed(ByteView id, bool subscribed);
  [[nodiscard]] Result<void> set_channel_invite(ByteView id, const SecretBytes& invite);
  // The cursor only moves forward: a smaller seq leaves it as it is.
  [[nodiscard]] Result<void> advance_channel_cursor(ByteView id, std::uint64_t seq);
  // The seed of a channel key this device created (32 bytes); insert or replace.
  [[nodiscard]] Result<void> save_channel_key(ByteView id, const SecretBytes& seed);
  [[nodiscard]] Result<std::optional<SecretBytes>> channel_key_seed(ByteView id) const;
  [[nodiscard]] Result<void> delete_channel_key(ByteView id);

  // ---- deduplication and the inbox ----
  [[nodiscard]] Result<bool> envelope_seen(ByteView envelope_id) const;
  static constexpr std::int64_t seen_envelope_retention_ms = 45LL * 24 * 60 * 60 * 1000;
  // Marks the id seen (kept 45 days, longer than the server's 30-day queue).
  [[nodiscard]] Result<void> mark_envelope_seen(ByteView envelope_id, std::int64_t now_ms);
  // Returns the message's seq (message.seq and message.shown are ignored); an envelope id
  // already in the inbox is Errc::conflict.
  [[nodiscard]] Result<std::uint64_t> add_to_inbox(const InboxMessage& message);
  static constexpr std::uint32_t max_unshown_batch = 1000;
  // The inbox message with this envelope id (16 bytes), shown or not.
  [[nodiscard]] Result<std::optional<InboxMessage>> inbox_message(ByteView envelope_id) const;
  [[nodiscard]] Result<std::optional<InboxMessage>> inbox_message_at(std::uint64_t seq) const;

  // ---- pinned keys: moderators (docs/MODERATION.md), the disclosure log (docs/LAWFUL.md) ----
  [[nodiscard]] Result<std::vector<PinnedModerator>> pinned_moderators() const;
  // Pins a moderator's key unless the name is pinned already; false when it was (a pinned key
  // is never replaced). Errc::invalid_length for a key that is not 32 bytes.
  [[nodiscard]] Result<bool> pin_moderator(const PinnedModerator& moderator);
  // The disclosure log's keys (client/lawful_notices.h), pinned like a moderator's: false when
  // they were pinned already. Errc::invalid_argument for a quorum above the witnesses.
  [[nodiscard]] Result<std::optional<PinnedDisclosureLog>> disclosure_log_pin() const;
  [[nodiscard]] Result<bool> pin_disclosure_log(const PinnedDisclosureLog& log);

  // ---- message franking (docs/FRANKING.md) ----
  [[nodiscard]] Result<std::optional<Bytes>> franking_server_key() const;
  [[nodiscard]] Result<void> save_franking_server_key(ByteView public_key);
  // This device's last tag in a conversation (32 bytes), if it sent there.
  [[nodiscard]] Result<std::optional<Bytes>> last_franking_tag(ByteView conversation) const;
  [[nodiscard]] Result<void> save_last_franking_tag(ByteView conversation, ByteView tag);
  [[nodiscard]] Result<void> add_inbox_franking(const InboxFranking& franking);
  [[nodiscard]] Result<std::optional<InboxFranking>> inbox_franking(std::uint64_t seq) const;
  // The received message from `sender` whose tag is `tag`, if any (a report's context walks
  // the sender's chain back through `previous`).
  [[nodiscard]] Result<std::optional<InboxFranking>> inbox_franking_by_tag(ByteView sender,
                                                                           ByteView tag) const;
  // Oldest first; Errc::invalid_argument when limit > max_unshown_batch.
  [[nodiscard]] Result<std::vector<InboxMessage>> unshown_messages(std::uint32_t limit) const;
  // Errc::not_found for an unknown seq.
  [[nodiscard]] Result<void> mark_shown(std::uint64_t seq);
  [[nodiscard]] Result<void> prune(std::int64_t now_ms);  // seen ids past their 45 days

 private:
  friend class GroupStore;  // client/group_store.h: the MLS group tables, same database
  struct Impl;
  explicit LocalStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::client
