// The values of the MLS groups' delivery service in the server store (store/group_store.h,
// docs/GROUPS.md "Delivery service (server)"). Plain data: the bytes are opaque to the store
// and to the server, which never parses MLS.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "store/records.h"

namespace bulwark::store {

// A one-time KeyPackage as uploaded.
struct KeyPackage {
  Bytes digest;  // SHA-256 of `bytes`, computed by the server: a device stores each package once
  Bytes bytes;
  friend bool operator==(const KeyPackage&, const KeyPackage&) = default;
};

struct KeyPackageCounts {
  std::uint32_t one_time = 0;  // the last-resort package not counted
  bool has_last_resort = false;
};

struct TakenKeyPackage {
  Bytes bytes;
  bool last_resort = false;  // the device's last-resort package, which stays stored
};

// A group as the server knows it: no member, no key, no name.
struct Group {
  Bytes id;  // 16-32 bytes, chosen by its creator
  std::uint64_t epoch = 0;
  Bytes token_hash;  // SHA-256 of the current epoch's token (32 bytes)
  friend bool operator==(const Group&, const Group&) = default;
};

// One ciphertext for many devices: stored once, queued to each.
struct GroupDelivery {
  EnvelopeId id;           // every copy's envelope id
  std::uint32_t type = 0;  // api::EnvelopeType
  Bytes content;
  std::vector<DeviceAddress> recipients;  // no device twice
};

// A commit (with its Welcome) or a message for a group, from one device.
struct GroupSend {
  Bytes group_id;
  std::uint64_t epoch = 0;  // the epoch the sender is in
  Bytes token_hash;         // SHA-256 of the token the sender presented (32 bytes)
  AccountId source_account;
  DeviceId source_device;
  std::int64_t server_timestamp_ms = 0;
  std::int64_t client_timestamp_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::vector<GroupDelivery> deliveries;
};

enum class GroupSendStatus : std::uint8_t {
  sent,         // the epoch and token matched: queued (and, for a commit, the epoch advanced)
  stale_epoch,  // the group is at another epoch: nothing changed
  wrong_token,  // the epoch matched, the token did not: nothing changed
};

struct QueuedCopy {
  DeviceAddress device;
  std::uint64_t seq = 0;  // its queue position
  friend bool operator==(const QueuedCopy&, const QueuedCopy&) = default;
};

struct GroupSendOutcome {
  GroupSendStatus status = GroupSendStatus::sent;
  std::uint64_t epoch = 0;  // the group's epoch after the call
  // Per delivery, the copies queued, in the order of its recipients; empty unless sent.
  std::vector<std::vector<QueuedCopy>> queued;
  // Recipients with no such device, each once, in the order first named; empty unless sent.
  std::vector<DeviceAddress> skipped;
};

// What one pass of Store::release_orphaned_contents did: how many delivery bytes no queued copy
// named any more it deleted, and the last id it checked (0: it reached the end; start over).
struct OrphanSweep {
  std::uint32_t released = 0;
  std::uint64_t checked_up_to = 0;
};

}  // namespace bulwark::store
