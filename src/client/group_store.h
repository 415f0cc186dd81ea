// GroupStore: the MLS group part of the local store (client schema v7; docs/GROUPS.md
// "Client"), in the same SQLCipher database as everything else, reached through a LocalStore.
//
// What it keeps: this device's MLS signature key (an Ed25519 seed of its own, never the auth
// key) and its credential; the private halves of the KeyPackages it uploaded (deleted when a
// join uses a one-time one); each group's serialized MLS state, name, epoch and whether it is
// closed (this device was removed or left: the state is dropped); per group the SHA-256 of the
// commit it accepted for each of its recent epochs (at most max_commit_history), so that a
// replayed commit and a second, different commit for an epoch (a fork) are recognised; and
// group events not yet shown (durable like the inbox, so a crash between commit and display
// loses nothing); and per group at most one pending commit: a commit sent whose answer did not
// arrive, kept with the state it would lead to until it is known to have won or lost.
//
// Secrets (the seed, the private keys, the group state) are SecretBytes in and out. Every
// list read is bounded. Atomicity: each call alone, or LocalStore::transaction around several.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/local_store.h"
#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::client {

inline constexpr std::size_t group_id_bytes = 32;
inline constexpr std::size_t max_commit_history = 64;  // epochs remembered per group
inline constexpr std::size_t max_stored_key_packages = 200;
inline constexpr std::size_t max_groups = 1000;
inline constexpr std::uint32_t max_group_events_batch = 1000;

struct MlsSigner {
  SecretBytes seed;  // 32 bytes, Ed25519
  Bytes credential;  // the BasicCredential identity (client/group_credential.h)
};

struct StoredKeyPackage {
  Bytes ref;                 // KeyPackageRef
  Bytes key_package;         // the KeyPackage as uploaded (TLS encoding)
  SecretBytes private_keys;  // init key || encryption key, 64 bytes
  bool last_resort = false;
  std::int64_t created_at_ms = 0;
};

struct StoredGroup {
  Bytes group_id;  // 32 bytes
  std::string name;
  std::optional<SecretBytes> state;  // Group::serialize(); none once closed
  std::uint64_t epoch = 0;
  bool closed = false;
};

// A commit sent for `epoch` whose answer may have been lost: the state it leads to (epoch + 1),
// the commit's SHA-256 and the roster event to show if it turns out to have won.
struct PendingCommit {
  std::uint64_t epoch = 0;
  SecretBytes state;
  Bytes commit_hash;  // 32 bytes
  std::string event;  // the GroupEvent, encoded by group_event_codec.h
};

struct StoredGroupEvent {
  std::uint64_t seq = 0;
  std::string event;  // the GroupEvent, encoded by group_event_codec.h
};

class GroupStore {
 public:
  explicit GroupStore(LocalStore& store) noexcept : store_(store) {}

  [[nodiscard]] Result<std::optional<MlsSigner>> signer() const;
  // Errc::conflict when one is saved already: the signature key never changes under a device.
  [[nodiscard]] Result<void> save_signer(const MlsSigner& signer);

  // At max_stored_key_packages the oldest one-time package is deleted to make room
  // (Errc::capacity_exceeded when all are last-resort ones); Errc::conflict for a known ref.
  [[nodiscard]] Result<void> add_key_package(const StoredKeyPackage& package);
  // Every stored KeyPackage, oldest first (at most max_stored_key_packages).
  [[nodiscard]] Result<std::vector<StoredKeyPackage>> key_packages() const;
  [[nodiscard]] Result<std::uint32_t> key_package_count(bool last_resort) const;
  // Deletes a one-time KeyPackage; a last-resort one is kept (it may be handed out again).
  [[nodiscard]] Result<void> consume_key_package(ByteView ref);

  [[nodiscard]] Result<std::optional<StoredGroup>> group(ByteView group_id) const;
  // Every group (without its state), by name; at most max_groups.
  [[nodiscard]] Result<std::vector<StoredGroup>> groups() const;
  // Inserts or updates. Errc::invalid_length for a group id that is not 32 bytes,
  // Errc::invalid_argument for an open group without a state.
  [[nodiscard]] Result<void> save_group(const StoredGroup& group);
  [[nodiscard]] Result<void> delete_group(ByteView group_id);

  // Remembers the commit that took the group from `epoch` to epoch + 1 (32-byte SHA-256),
  // forgetting epochs older than max_commit_history.
  [[nodiscard]] Result<void> record_commit(ByteView group_id, std::uint64_t epoch,
                                           ByteView commit_hash);
  [[nodiscard]] Result<std::optional<Bytes>> commit_hash(ByteView group_id,
                                                         std::uint64_t epoch) const;

  // One per group: saving replaces the group's previous one. The group must be stored
  // (Errc::storage otherwise); deleting the group deletes it.
  [[nodiscard]] Result<void> save_pending_commit(ByteView group_id, const PendingCommit& pending);
  [[nodiscard]] Result<std::optional<PendingCommit>> pending_commit(ByteView group_id) const;
  [[nodiscard]] Result<void> clear_pending_commit(ByteView group_id);

  [[nodiscard]] Result<std::uint64_t> add_event(std::string_view event);
  // Oldest first; Errc::invalid_argument when limit > max_group_events_batch.
  [[nodiscard]] Result<std::vector<StoredGroupEvent>> unshown_events(std::uint32_t limit) const;
  [[nodiscard]] Result<void> mark_event_shown(std::uint64_t seq);

 private:
  LocalStore& store_;
};

}  // namespace bulwark::client
