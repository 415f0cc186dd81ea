// Per-device envelope queues in SQL (store/store.h). Queue positions (Envelope::seq) come
// from a counter per device (migration 11), so they strictly increase within each queue, in
// commit order, and are never handed out twice, even after the newest envelope is deleted.
// Two devices' positions are unrelated.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// All or nothing. Errc::not_found when a destination device does not exist. Envelope::seq is
// set only on success.
[[nodiscard]] Result<void> enqueue(Db& db, std::span<Envelope> envelopes);
// At most store::max_queued_page envelopes, whatever `limit` asks for. An unknown device's
// queue is empty.
[[nodiscard]] Result<std::vector<Envelope>> queued(Db& db, const DeviceAddress& device,
                                                   std::uint64_t after_seq, std::uint32_t limit);
[[nodiscard]] Result<std::uint64_t> queue_length(Db& db, const DeviceAddress& device);
[[nodiscard]] Result<std::uint32_t> delete_envelopes(Db& db, const DeviceAddress& device,
                                                     std::span<const std::uint64_t> seqs);
[[nodiscard]] Result<std::uint64_t> expire_envelopes(Db& db, std::int64_t now_ms);

// Stores `envelope` (its own content) at the position and for the destination it names, which
// an earlier reserve_positions handed out: for envelopes held elsewhere until now
// (store/hot/hot_queues.h). The caller holds a savepoint.
[[nodiscard]] Result<void> insert_at(Db& db, const Envelope& envelope);

// Moves the position counter of each device of `devices` on by one (a device named n times,
// n times) and returns the positions in the order of `devices`; a device named twice gets
// increasing positions in that order. Each counter's row stays locked until commit, and they
// are locked in one global order (by account, then device) whatever the caller's order, so
// two transactions reserving positions of the same devices wait for each other but never
// deadlock. Errc::not_found when a device does not exist. The caller holds a savepoint.
[[nodiscard]] Result<std::vector<std::uint64_t>> reserve_positions(
    Db& db, std::span<const DeviceAddress> devices);

// Queues `shared` (its content, type, source, times and group) to every device of `devices`,
// storing the content once; `shared.destination` and `shared.seq` are ignored. Returns each
// copy's queue position (reserve_positions), in the order of `devices`. Every device must exist
// (else Errc::not_found). The caller holds a savepoint.
[[nodiscard]] Result<std::vector<std::uint64_t>> write_shared(
    Db& db, const Envelope& shared, std::span<const DeviceAddress> devices);
// write_shared at positions already reserved: seqs[i] for devices[i] (reserve_positions, which
// a send to several deliveries calls once for all of them, so its locks too are in order).
[[nodiscard]] Result<void> write_shared_at(Db& db, const Envelope& shared,
                                           std::span<const DeviceAddress> devices,
                                           std::span<const std::uint64_t> seqs);

}  // namespace bulwark::store::sql
