// The journal of the SQLite store's in-memory queues (store/hot/hot_queues.h): what one
// committed transaction did to them, as one row of the hot_journal table (migration 16).
//
// A block is a version byte and the transaction's records in order: an envelope queued (with its
// destination and position), a queued envelope removed (acknowledged or expired), every queue
// of an account dropped (a re-registration), or every queue emptied (a reset: the start of a
// block that holds the whole state, after which the rows before it are obsolete). Replaying every
// block in row order rebuilds the queues exactly as they were committed. The rows are the
// database's own, so a block is written in the same transaction as the rest of what its jobs did,
// and made durable by the same sync.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"

namespace bulwark::store::hot {

inline constexpr std::uint8_t journal_block_version = 1;
// Only envelopes up to this size are kept in memory (the others go to the envelopes table as
// before), so that a record, and a block, stays bounded: at most 16 envelopes a send and
// StoreExecutor's 512 jobs a batch.
inline constexpr std::size_t max_hot_content_bytes = 4096;
// A franking tag is 32 bytes; the bound is the decoder's, with room.
inline constexpr std::size_t max_hot_field_bytes = max_hot_content_bytes;

struct JournalEnqueued {
  Envelope envelope;
};
struct JournalRemoved {
  DeviceAddress device;
  std::uint64_t seq = 0;
};
struct JournalAccountDropped {
  AccountId account;
};
struct JournalReset {};
using JournalRecord =
    std::variant<JournalEnqueued, JournalRemoved, JournalAccountDropped, JournalReset>;

// Appends one record to `block`, which starts empty: the version byte comes first.
void append_enqueued(Bytes& block, const Envelope& envelope);
void append_removed(Bytes& block, const DeviceAddress& device, std::uint64_t seq);
void append_account_dropped(Bytes& block, const AccountId& account);
void append_reset(Bytes& block);

// Every record of a block, in order. Errc::invalid_encoding for an unknown version or record
// kind, an envelope over max_hot_content_bytes, or bytes that end mid-record.
[[nodiscard]] Result<std::vector<JournalRecord>> decode_journal_block(ByteView block);

}  // namespace bulwark::store::hot
