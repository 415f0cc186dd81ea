// The part of the server's Store that MLS groups' delivery service uses (store/store.h's
// conventions: every method one atomic unit; Errc::not_found, Errc::conflict,
// Errc::invalid_argument, Errc::storage; one thread at a time). Issue 9, docs/GROUPS.md
// "Delivery service (server)".
//
// The store keeps opaque KeyPackages per device, and per group only its id, epoch and the
// SHA-256 of the epoch's token: never a member list. Group messages go into the devices'
// queues (store.h's queued() returns them with their group id and epoch); a delivery's bytes
// are stored once however many devices it goes to, and go when the last copy is deleted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/bytes.h"
#include "common/result.h"
#include "store/group_records.h"
#include "store/records.h"

namespace bulwark::store {

// Bounds the store checks (Errc::invalid_argument beyond them); the server's are api/limits.h.
inline constexpr std::size_t max_key_package_bytes = 16 * 1024;
inline constexpr std::size_t max_key_packages_per_device = 100;
inline constexpr std::size_t min_group_id_bytes = 16;
inline constexpr std::size_t max_group_id_bytes = 32;
inline constexpr std::size_t group_token_hash_bytes = 32;
inline constexpr std::size_t max_group_deliveries = 2;       // a commit and its Welcome
inline constexpr std::size_t max_group_recipients = 10'000;  // per delivery
inline constexpr std::size_t max_group_content_bytes = 1024 * 1024;

class GroupStore {
 public:
  virtual ~GroupStore() = default;

  // ---- KeyPackages ----
  // Adds one-time packages, handed out later in the order added; one whose digest the device
  // already holds is skipped. Errc::capacity_exceeded (nothing added) when the device would
  // then hold more than max_key_packages_per_device; Errc::not_found for an unknown device.
  [[nodiscard]] virtual Result<void> add_key_packages(const DeviceAddress& device,
                                                      std::span<const KeyPackage> packages) = 0;
  // Replaces the device's last-resort package. Errc::not_found for an unknown device.
  [[nodiscard]] virtual Result<void> set_last_resort_key_package(const DeviceAddress& device,
                                                                 ByteView package) = 0;
  // Errc::not_found for an unknown device.
  [[nodiscard]] virtual Result<KeyPackageCounts> key_package_counts(
      const DeviceAddress& device) = 0;
  // The device's oldest one-time package, consumed (two callers never get the same one), else
  // its last-resort package (kept), else nullopt. Errc::not_found for an unknown device.
  [[nodiscard]] virtual Result<std::optional<TakenKeyPackage>> take_key_package(
      const DeviceAddress& device) = 0;

  // ---- groups ----
  // Stores the group as given (its creator starts it at epoch 0). Errc::conflict when the id
  // is taken.
  [[nodiscard]] virtual Result<void> create_group(const Group& group) = 0;
  [[nodiscard]] virtual Result<std::optional<Group>> group(ByteView id) = 0;
  // Compare-and-set: when the group is at send.epoch and its token hash equals send.token_hash
  // (compared in constant time), moves it to epoch + 1 with `next_token_hash` and queues every
  // delivery to its recipients that exist, all in one transaction; otherwise changes nothing
  // and says why (GroupSendOutcome::status). So of two commits made in one epoch exactly one
  // is sent. Recipients with no such device are skipped (outcome.skipped). Errc::not_found for
  // an unknown group; Errc::invalid_argument beyond the bounds above or for a device named
  // twice in one delivery; Errc::capacity_exceeded at the largest epoch.
  [[nodiscard]] virtual Result<GroupSendOutcome> commit_to_group(const GroupSend& send,
                                                                 ByteView next_token_hash) = 0;
  // The same check, without moving the epoch: queues a message of the current epoch.
  [[nodiscard]] virtual Result<GroupSendOutcome> send_to_group(const GroupSend& send) = 0;

  // A delivery's bytes go with its last queued copy, by trigger. On PostgreSQL, two nodes
  // deleting the last two copies at once each still see the other's copy, and the bytes stay
  // behind (taking a lock to order them made nodes deadlock instead). This sweep frees such
  // leftovers: it checks the `limit` (1-10,000) contents after id `after` and deletes those no
  // copy names. Called periodically with the id it returned, it goes round every content.
  [[nodiscard]] virtual Result<OrphanSweep> release_orphaned_contents(std::uint64_t after,
                                                                      std::uint32_t limit) = 0;
};

}  // namespace bulwark::store
