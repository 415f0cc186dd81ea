// Internal: the local database's schema and its versioning (PRAGMA user_version).
//
// Version 1 tables (all in the SQLCipher-encrypted file):
//   account                one row (id = 1): this device's account, keys and prekey counters
//   contacts               account_id (16 bytes) -> phone, username, trusted identity key,
//                          pending (changed, not accepted) identity key, trust level
//   sessions               (account_id, device_id) -> serialised SessionRecord
//   pre_keys, signed_pre_keys, kyber_pre_keys   id -> serialised libsignal record
//   kyber_base_keys_used   (kyber id, signed prekey id, base key) accepted with a last-resort key
//   seen_envelopes         envelope id -> when first seen (deduplication)
//   inbox                  decrypted messages in arrival order (seq), shown or not
// Version 2 adds kt_trust and kt_records (key transparency); version 3 channels (pinned on
// first use, with the subscription and the read cursor) and channel_keys (created channels'
// Ed25519 seeds); version 4 the franking tables, 5 moderators (pinned moderator keys) and 6
// disclosure_log_pin (the pinned keys of the lawful-request disclosure log); 7 the MLS group
// tables (mls_signer, mls_key_packages, mls_groups, mls_commits, mls_group_events,
// mls_pending_commits).
// Upgrades run in order in one transaction; a database newer than this build is refused.
#pragma once

#include "client/detail/sqlite.h"
#include "common/result.h"

namespace bulwark::client::detail {

inline constexpr int schema_version = 7;

// Creates or upgrades the schema to schema_version; Errc::storage for a newer database.
[[nodiscard]] Result<void> migrate(Database& db);

}  // namespace bulwark::client::detail
