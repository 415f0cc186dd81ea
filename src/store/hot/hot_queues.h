// HotQueues: the SQLite store's per-device queues in memory, journalled in the database.
//
// Most envelopes live for milliseconds: queued, pushed to their online device, acknowledged.
// Stored as rows, each one cost the store thread an insert into the envelopes table and its
// indexes and, milliseconds later, a delete from all of them: most of the store thread's time
// per message (docs/BENCHMARKS.md). Here an envelope is kept in memory instead, and what each
// transaction did to the queues (this envelope queued, that one removed) is written as one row
// of the hot_journal table (store/hot/journal_block.h) just before the transaction commits
// (sql::TransactionObserver). So the queues are exactly as durable as everything else the
// transaction did, with one fsync for all of it; a crash loses what SQLite loses, never part of
// a transaction; and opening the store replays the journal to rebuild the queues.
//
// What stays in SQL: the queue positions (queue_positions, so an unknown device is still
// Errc::not_found and a re-registration still restarts them), envelopes over
// max_hot_content_bytes, and messages to groups (write_shared). A journal row is deleted once
// the envelopes it queued are all gone (rows go oldest first, a few per commit). When the queues
// in memory grow past HotLimits, a flush moves every envelope in memory to the envelopes table
// (offline devices' envelopes end up there) and its row starts with a reset, which makes every
// row before it obsolete.
//
// Every method runs inside a savepoint of its own, and every change to the memory is undone when
// a savepoint or transaction that made it rolls back, so the queues never show what the
// database does not hold. Single-threaded, like the Db.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::hot {

struct HotLimits {
  // Envelopes in memory at once, and the bytes of their contents: beyond either, a flush.
  std::size_t max_envelopes = 65'536;
  std::size_t max_content_bytes = std::size_t{16} << 20;
  // The journal's rows not yet deleted. A row goes once the envelopes it queued are gone, so
  // under load the journal holds the last few milliseconds; an envelope left waiting (an offline
  // device) holds back its row and every later one, and past this limit the envelopes of the
  // oldest half of the rows are queued again in a new row (or, when that would be over a quarter
  // of the limit, all of memory moves to the table).
  std::size_t max_journal_bytes = std::size_t{8} << 20;
};

class HotQueues final : public sql::TransactionObserver {
 public:
  // Replays the journal, then observes `db`'s transactions (which must support it, and outlive
  // this). Errc::storage when a journal row does not decode: the database is not what this
  // binary wrote, and guessing would lose or resurrect messages.
  [[nodiscard]] static Result<std::unique_ptr<HotQueues>> open(sql::Db& db, HotLimits limits = {});
  ~HotQueues() override;
  HotQueues(const HotQueues&) = delete;
  HotQueues& operator=(const HotQueues&) = delete;

  // The queue methods of store/store.h, with their contracts, over memory and the table.
  [[nodiscard]] Result<void> enqueue(std::span<Envelope> envelopes);
  [[nodiscard]] Result<std::vector<Envelope>> queued(const DeviceAddress& device,
                                                     std::uint64_t after_seq, std::uint32_t limit);
  [[nodiscard]] Result<std::uint64_t> queue_length(const DeviceAddress& device);
  [[nodiscard]] Result<std::uint32_t> delete_envelopes(const DeviceAddress& device,
                                                       std::span<const std::uint64_t> seqs);
  [[nodiscard]] Result<std::uint64_t> expire_envelopes(std::int64_t now_ms);
  // Forgets every envelope queued in memory for the account's devices. For the transaction that
  // re-registers it, whose cascade empties the table of them.
  void drop_account(const AccountId& account);
  // Moves every envelope in memory to the envelopes table and empties the journal.
  [[nodiscard]] Result<void> flush();

  // Envelopes in memory now.
  [[nodiscard]] std::size_t size() const noexcept { return count_; }

  [[nodiscard]] Result<void> before_commit() override;
  void committed() noexcept override;
  void rolled_back() noexcept override;
  void savepoint_begun() noexcept override;
  void savepoint_released() noexcept override;
  void savepoint_rolled_back() noexcept override;

 private:
  // An envelope in memory, and the journal row whose record queued it.
  struct Held {
    Envelope envelope;
    std::uint64_t row = 0;
  };
  using Queue = std::map<std::uint64_t, Held>;
  using Queues = std::unordered_map<DeviceAddress, Queue, DeviceAddressHash>;
  // Envelopes in memory per journal row (rows without any are not listed).
  using RowsLive = std::map<std::uint64_t, std::uint32_t>;
  // What a flush took from memory, to put back if it is rolled back.
  struct Flushed {
    Queues queues;
    RowsLive rows_live;
    std::size_t count = 0;
    std::size_t content_bytes = 0;
    Bytes pending;
  };
  // An envelope queued again in this transaction's row, and the row it came from.
  struct Moved {
    DeviceAddress device;
    std::uint64_t seq = 0;
    std::uint64_t row = 0;
  };
  // How to undo one change to the memory.
  struct Undo {
    enum class Kind : std::uint8_t { add, remove, flush, move };
    Kind kind = Kind::add;
    DeviceAddress device;              // add
    std::uint64_t seq = 0;             // add
    std::vector<Held> held;            // remove
    std::unique_ptr<Flushed> flushed;  // flush
    std::vector<Moved> moved;          // move (with pending's size before it in `seq`)
  };
  // Where a savepoint began.
  struct Mark {
    std::size_t undo = 0;
    std::size_t pending = 0;
  };

  HotQueues(sql::Db& db, HotLimits limits) : db_(db), limits_(limits) {}
  [[nodiscard]] Result<void> replay();
  // Applies the records of row `row`.
  [[nodiscard]] Result<void> apply(ByteView block, std::uint64_t row);
  // sql::reserve_positions, one statement per device whose counter is where this store left it.
  [[nodiscard]] Result<std::vector<std::uint64_t>> reserve_positions(
      std::span<const DeviceAddress> devices);
  // flush() without its savepoint.
  [[nodiscard]] Result<void> flush_in_transaction();
  // Queues again, in this transaction's row, the envelopes of rows up to `last`, so that those
  // rows can go.
  void requeue_through(std::uint64_t last);
  // Flushes or requeues when past HotLimits.
  [[nodiscard]] Result<void> keep_within_limits();
  // Puts `held` in memory (replacing an envelope at its position: a requeued one's later record).
  void add(Held held);
  // Takes the envelope at `seq` out of the device's queue; false when it is not there.
  bool take(const DeviceAddress& device, std::uint64_t seq, std::vector<Held>& into);
  std::vector<Held> take_account(const AccountId& account);
  void count_row(std::uint64_t row, int change);
  // Records envelopes taken out of memory (none: nothing) so a rollback puts them back.
  void push_removed(std::vector<Held> held);
  void undo_to(std::size_t size) noexcept;

  sql::Db& db_;
  HotLimits limits_;
  Queues queues_;
  RowsLive rows_live_;
  std::size_t count_ = 0;
  std::size_t content_bytes_ = 0;
  // This transaction's journal block so far (empty: nothing to write).
  Bytes pending_;
  // The journal's rows: the next one's id (this transaction's, if it writes one), the oldest
  // not yet deleted, the bytes of each from there on and their sum. A row goes, a few with each
  // commit and oldest first, once neither it nor any row before it queued an envelope still in
  // memory: replaying what is left then gives the same queues. The planned oldest row takes
  // effect when the commit that deleted the rows before it succeeds.
  std::uint64_t next_row_id_ = 1;
  std::uint64_t oldest_row_ = 1;
  std::uint64_t planned_oldest_row_ = 1;
  std::map<std::uint64_t, std::size_t> row_bytes_;
  std::size_t journal_bytes_ = 0;
  std::vector<Undo> undo_;
  std::vector<Mark> marks_;
  // The last position this store gave each device (a hint: see reserve_positions).
  std::unordered_map<DeviceAddress, std::uint64_t, DeviceAddressHash> known_positions_;
};

}  // namespace bulwark::store::hot
