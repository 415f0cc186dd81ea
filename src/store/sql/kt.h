// Key transparency's persistent state in SQL (store/store.h, docs/KEY-TRANSPARENCY.md):
// the updates queued for the next log entry, the entries with their signed checkpoints, the
// versions each entry published (what kt::Directory::restore replays) and witness
// cosignatures. None of it is secret.
//
// Queue positions (KtPendingUpdate::seq) come from a store-wide counter, as envelope positions
// do (store/sql/queues.h): they strictly increase and are never handed out twice, even
// after kt_publish consumes the newest update.
//
// Invariants the tables keep: entries are numbered 0, 1, 2, ... without gaps (kt_publish
// appends only the next one); a (label, version) is published at most once; every version
// names a stored entry; there are at most store::max_kt_cosignatures witnesses per size.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// The sizes the schema relies on.
inline constexpr std::size_t kt_hash_bytes = 32;     // prefix roots, VRF outputs, commitments
inline constexpr std::size_t kt_opening_bytes = 16;  // commitment openings

[[nodiscard]] Result<std::uint64_t> kt_queue_update(Db& db, ByteView label, ByteView value);
// At most store::max_kt_page updates, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<KtPendingUpdate>> kt_pending(Db& db, std::uint64_t after_seq,
                                                              std::uint32_t limit);
[[nodiscard]] Result<std::optional<Bytes>> kt_latest_value(Db& db, ByteView label);
// All or nothing. Errc::invalid_argument for a prefix root, opening, VRF output or commitment
// of the wrong size, a timestamp beyond 2^63 - 1, or a version whose `entry` is not
// entry.index; Errc::conflict when entry.index is not the number of stored entries or a
// (label, version) is already published (or repeated in `versions`). consumed_through beyond
// 2^63 - 1 consumes every queued update.
[[nodiscard]] Result<void> kt_publish(Db& db, const KtEntry& entry,
                                      std::span<const KtVersion> versions,
                                      std::uint64_t consumed_through);
// At most store::max_kt_page entries, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<KtEntry>> kt_entries(Db& db, std::uint64_t from,
                                                      std::uint32_t limit);
// At most store::max_kt_page versions, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<KtVersion>> kt_versions(Db& db, std::uint64_t from_entry,
                                                         std::uint64_t skip,
                                                         std::uint32_t limit);
// Errc::invalid_argument for an empty witness name or a size beyond 2^63 - 1; Errc::conflict
// for a new witness when the size already has store::max_kt_cosignatures of them.
[[nodiscard]] Result<void> kt_add_cosignature(Db& db, const KtCosignature& cosignature);
// Ordered by witness name, byte-wise.
[[nodiscard]] Result<std::vector<KtCosignature>> kt_cosignatures(Db& db, std::uint64_t size);

}  // namespace bulwark::store::sql
