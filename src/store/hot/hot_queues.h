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
// max_hot_content_bytes, and messages to groups (write_shared). When the queues in memory grow
// past HotLimits, a flush moves every envelope in memory to the envelopes table and empties the
// journal, in the transaction that crossed the limit, so offline devices' envelopes end up in the
// table; when only the journal does, it is compacted: replaced by one block that queues what is
// in memory now.
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
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::hot {

struct HotLimits {
  // Envelopes in memory at once, and the bytes of their contents: beyond either, a flush.
  std::size_t max_envelopes = 65'536;
  std::size_t max_content_bytes = std::size_t{16} << 20;
  // Journal bytes since it was last rewritten (acknowledged envelopes' records included): beyond,
  // the journal is compacted to one block of the envelopes in memory, or, when those would take
  // more than a quarter of it, flushed. Small, so that the rows' pages are reused instead of
  // growing the file: a database that kept growing made every commit slower (measured: a third
  // more server CPU per message at window 1 with 64 MiB instead of 4).
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
  using Queue = std::map<std::uint64_t, Envelope>;
  using Queues = std::map<DeviceAddress, Queue>;
  // What a flush took from memory (a compaction: only the journal's state), to put back if it is
  // rolled back.
  struct Flushed {
    Queues queues;
    std::size_t count = 0;
    std::size_t content_bytes = 0;
    std::size_t journal_bytes = 0;
    Bytes pending;
  };
  // How to undo one change to the memory.
  struct Undo {
    enum class Kind : std::uint8_t { add, remove, flush, compact };
    Kind kind = Kind::add;
    DeviceAddress device;              // add
    std::uint64_t seq = 0;             // add
    std::vector<Envelope> envelopes;   // remove
    std::unique_ptr<Flushed> flushed;  // flush, compact
  };
  // Where a savepoint began.
  struct Mark {
    std::size_t undo = 0;
    std::size_t pending = 0;
  };

  HotQueues(sql::Db& db, HotLimits limits) : db_(db), limits_(limits) {}
  [[nodiscard]] Result<void> replay();
  [[nodiscard]] Result<void> apply(ByteView block);
  // sql::reserve_positions, one statement per device whose counter is where this store left it.
  [[nodiscard]] Result<std::vector<std::uint64_t>> reserve_positions(
      std::span<const DeviceAddress> devices);
  // flush() without its savepoint.
  [[nodiscard]] Result<void> flush_in_transaction();
  // Replaces the journal's rows with one block queueing every envelope in memory.
  [[nodiscard]] Result<void> compact_in_transaction();
  // Flushes or compacts when past HotLimits.
  [[nodiscard]] Result<void> keep_within_limits();
  void add(Envelope envelope);
  // Takes the envelope at `seq` out of the device's queue; false when it is not there.
  bool take(const DeviceAddress& device, std::uint64_t seq, std::vector<Envelope>& into);
  std::vector<Envelope> take_account(const AccountId& account);
  // Records envelopes taken out of memory (none: nothing) so a rollback puts them back.
  void push_removed(std::vector<Envelope> envelopes);
  void undo_to(std::size_t size) noexcept;

  sql::Db& db_;
  HotLimits limits_;
  Queues queues_;
  std::size_t count_ = 0;
  std::size_t content_bytes_ = 0;
  std::size_t journal_bytes_ = 0;
  // This transaction's journal block so far (empty: nothing to write).
  Bytes pending_;
  std::vector<Undo> undo_;
  std::vector<Mark> marks_;
  // The last position this store gave each device (a hint: see reserve_positions).
  std::map<DeviceAddress, std::uint64_t> known_positions_;
};

}  // namespace bulwark::store::hot
