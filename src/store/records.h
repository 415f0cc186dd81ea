// The values the server store holds (store/store.h). Plain data: the store checks nothing
// about keys beyond what its schema needs; the server validates sizes before storing.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"

namespace bulwark::store {

// 16 random bytes; shown as a UUID (common::format_uuid).
struct AccountId {
  std::array<std::byte, 16> bytes{};
  friend auto operator<=>(const AccountId&, const AccountId&) = default;
};

struct EnvelopeId {
  std::array<std::byte, 16> bytes{};
  friend auto operator<=>(const EnvelopeId&, const EnvelopeId&) = default;
};

struct DeviceAddress {
  AccountId account;
  DeviceId device;
  friend auto operator<=>(const DeviceAddress&, const DeviceAddress&) = default;
};

// Hashes for the server's lookups on every message (who is online, what a device has not yet
// acknowledged, what is queued in memory): an ordered map's 16-byte comparisons were 3-4% of the
// relay's CPU. Account and envelope ids are random bytes drawn by the server, so their first
// eight are already a good hash, and clients cannot choose them to collide.
inline std::size_t hash_random_id(const std::array<std::byte, 16>& bytes) noexcept {
  std::uint64_t head = 0;
  for (std::size_t i = 0; i < sizeof head; ++i)
    head = (head << 8) | static_cast<std::uint64_t>(bytes[i]);
  return static_cast<std::size_t>(head);
}
struct AccountIdHash {
  std::size_t operator()(const AccountId& id) const noexcept { return hash_random_id(id.bytes); }
};
struct DeviceAddressHash {
  std::size_t operator()(const DeviceAddress& address) const noexcept {
    return AccountIdHash{}(address.account) ^
           (static_cast<std::size_t>(address.device.value()) * 0x9e3779b97f4a7c15ULL);
  }
};
struct EnvelopeIdHash {
  std::size_t operator()(const EnvelopeId& id) const noexcept { return hash_random_id(id.bytes); }
};

struct PendingCode {
  std::string phone;  // E.164
  Bytes code_hash;    // SHA-256(salt || phone || code): the code itself is never stored
  Bytes salt;         // 16 random bytes
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::uint32_t failed_attempts = 0;
};

struct NewAccount {
  AccountId id;           // used only when the phone is new
  std::string phone;      // E.164
  Bytes identity_key;     // 33 bytes
  bool discoverable = false;
  std::int64_t created_at_ms = 0;
};

struct Account {
  AccountId id;
  std::string phone;
  std::optional<std::string> username;
  Bytes identity_key;
  bool discoverable = false;
  std::int64_t created_at_ms = 0;
};

struct SignedKey {
  std::uint32_t id = 0;
  Bytes public_key;
  Bytes signature;
  friend bool operator==(const SignedKey&, const SignedKey&) = default;
};

struct OneTimeKey {
  std::uint32_t id = 0;
  Bytes public_key;
  friend bool operator==(const OneTimeKey&, const OneTimeKey&) = default;
};

struct NewDevice {
  RegistrationId registration_id;
  Bytes auth_key;  // Ed25519 public key, 32 bytes
  std::string name;
  SignedKey signed_pre_key;
  SignedKey last_resort_kyber_pre_key;
  std::vector<OneTimeKey> pre_keys;
  std::vector<SignedKey> kyber_pre_keys;
  std::int64_t created_at_ms = 0;
};

struct Device {
  DeviceId id;
  RegistrationId registration_id;
  Bytes auth_key;
  std::string name;
  std::int64_t created_at_ms = 0;
};

// A device as a send checks it: the narrow read every message takes (Store::device_registrations).
struct DeviceRegistration {
  DeviceId id;
  RegistrationId registration_id;
};

struct PreKeyCounts {
  std::uint32_t pre_keys = 0;
  std::uint32_t kyber_pre_keys = 0;  // one-time only, the last-resort key not counted
};

struct PreKeyBundle {
  DeviceId device;
  RegistrationId registration_id;
  SignedKey signed_pre_key;
  SignedKey kyber_pre_key;
  bool kyber_is_last_resort = false;
  std::optional<OneTimeKey> pre_key;
};

struct Envelope {
  EnvelopeId id;
  DeviceAddress destination;
  AccountId source_account;
  DeviceId source_device;
  std::uint32_t type = 0;  // api::EnvelopeType
  Bytes content;
  std::int64_t server_timestamp_ms = 0;
  std::int64_t client_timestamp_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::uint64_t seq = 0;  // queue position, assigned by enqueue()
  // Message franking (docs/FRANKING.md): the sender's tag (32 bytes; empty: unfranked). The
  // server stamps it as the envelope leaves for its device, so no stamp is ever stored.
  Bytes franking_tag;
  // MLS groups (store/group_store.h): the group's id and the epoch the message was sent in;
  // empty and 0 for everything else.
  Bytes group_id;
  std::uint64_t group_epoch = 0;
};

// ---- key transparency (docs/KEY-TRANSPARENCY.md) ----

// A value waiting for the next KT log entry: the account's newest signed account record.
struct KtPendingUpdate {
  std::uint64_t seq = 0;  // queue position, assigned by kt_queue_update()
  Bytes label;            // the account id's 16 bytes
  Bytes value;            // the encoded, signed account record
};

// One published version of a label, with everything restore needs (kt::PublishedVersion).
struct KtVersion {
  Bytes label;
  std::uint32_t version = 0;
  Bytes opening;     // 16 bytes
  Bytes value;
  Bytes vrf_output;  // 32 bytes: the search key
  Bytes commitment;  // 32 bytes
  std::uint64_t entry = 0;  // the log entry that published it
  friend bool operator==(const KtVersion&, const KtVersion&) = default;
};

// One KT log entry and the checkpoint the server signed for the log ending with it.
struct KtEntry {
  std::uint64_t index = 0;  // position in the log, from 0
  std::uint64_t timestamp_ms = 0;
  Bytes prefix_root;        // 32 bytes
  std::string checkpoint;   // signed note: the checkpoint of size index + 1, server signature
  friend bool operator==(const KtEntry&, const KtEntry&) = default;
};

// A witness's cosignature line (C2SP tlog-cosignature) on the checkpoint of `size`.
struct KtCosignature {
  std::uint64_t size = 0;
  std::string witness;         // the witness's key name
  std::string signature_line;  // "— name base64", without the newline
  std::int64_t received_at_ms = 0;
  friend bool operator==(const KtCosignature&, const KtCosignature&) = default;
};

// ---- channels (channel/entry.h holds the entry bytes; the store keeps them as they came) ----

// 16 bytes derived from the channel key (channel::channel_id_for_key).
struct ChannelId {
  std::array<std::byte, 16> bytes{};
  friend auto operator<=>(const ChannelId&, const ChannelId&) = default;
};

struct Channel {
  ChannelId id;
  std::string handle;  // canonical
  AccountId owner;     // the account that created it
  Bytes channel_key;   // 32 bytes, Ed25519
  bool is_private = false;
  Bytes invite_hash;   // private channels: SHA-256 of the invite secret
  Bytes create_entry;  // the signed CREATE entry (seq 1)
  std::int64_t created_ms = 0;
  std::uint64_t last_seq = 1;
  std::uint64_t subscribers = 0;
  friend bool operator==(const Channel&, const Channel&) = default;
};

// Entry kinds as channel::EntryKind numbers them; the store needs them to index posts, admin
// entries, edits and removals.
enum class ChannelEntryKind : std::uint8_t { create = 1, post = 2, edit = 3, remove = 4,
                                             admin_add = 5, admin_remove = 6 };

struct ChannelEntry {
  std::uint64_t seq = 0;
  ChannelEntryKind kind = ChannelEntryKind::post;
  std::uint64_t target = 0;      // EDIT, REMOVE: the post they change
  Bytes entry;                   // the signed entry; empty once removed
  std::uint64_t edited_by = 0;   // POST: seq of its latest EDIT, 0 if none
  std::uint64_t deleted_by = 0;  // POST, EDIT: seq of the REMOVE that removed it, 0 if none
  Bytes views;                   // POST: the view sketch (channel/view_sketch.h), empty if none
  std::int64_t server_time_ms = 0;
  friend bool operator==(const ChannelEntry&, const ChannelEntry&) = default;
};

struct IpSighting {
  std::string ip;
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
};

}  // namespace bulwark::store
