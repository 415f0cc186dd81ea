#include "store/hot/hot_queues.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "common/overloaded.h"
#include "store/hot/journal_block.h"
#include "store/limits.h"
#include "store/sql/queues.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::hot {
namespace {

constexpr sql::Sql insert_block{"write hot journal",
                                "INSERT INTO hot_journal (id, block) VALUES (?, ?)"};
// Rows that queued nothing still in memory go, oldest first, a few with each commit: deleting
// 8 MiB of rows at once held the store thread for 12-28 ms, and every message waiting on it.
constexpr sql::Sql delete_rows{"trim hot journal",
                               "DELETE FROM hot_journal WHERE id >= ? AND id < ?"};
constexpr std::uint64_t rows_deleted_per_commit = 8;
// A record is about 110 bytes besides its content.
constexpr std::size_t record_overhead_bytes = 110;
// A page of rows at a time, so that replaying a long journal holds one page in memory.
constexpr sql::Sql read_journal{
    "read hot journal", "SELECT id, block FROM hot_journal WHERE id > ? ORDER BY id LIMIT ?"};
constexpr std::int64_t journal_page = 64;
// Moves a device's position counter on from the value it had when this store last moved it,
// and only from that value: the table's counter is the truth (a group send moves it too, a
// rollback takes it back, a re-registration deletes it), and a counter that is not where the
// memory left it changes no row, so the caller reads it afresh instead.
constexpr sql::Sql advance_known_position{
    "enqueue: advance known queue position",
    "UPDATE queue_positions SET last_seq = ? WHERE account_id = ? AND device_id = ? "
    "AND last_seq = ?"};
// Devices whose last position is remembered; beyond, the memory starts over (a cache).
constexpr std::size_t max_known_positions = 65'536;

// Whether an envelope may be kept in memory: its record must stay within the journal's bounds.
// (The journal's decoder takes content of 1 byte or more, as the bus's does; the server never
// queues less.)
bool fits_in_memory(const Envelope& envelope) {
  return !envelope.content.empty() && envelope.content.size() <= max_hot_content_bytes &&
         envelope.franking_tag.size() <= max_hot_field_bytes &&
         envelope.group_id.size() <= max_hot_field_bytes;
}

}  // namespace

Result<std::unique_ptr<HotQueues>> HotQueues::open(sql::Db& db, HotLimits limits) {
  if (!db.supports_observer())
    return fail(Errc::invalid_argument, "hot queues: the database cannot observe transactions");
  std::unique_ptr<HotQueues> queues(new HotQueues(db, limits));
  BULWARK_TRY(queues->replay());
  db.set_observer(queues.get());
  return queues;
}

HotQueues::~HotQueues() { db_.set_observer(nullptr); }

Result<void> HotQueues::replay() {
  std::int64_t after = 0;
  bool first_row = true;
  for (;;) {
    auto query = BULWARK_TRY(db_.prepare(read_journal));
    query.bind(after).bind(journal_page);
    std::int64_t rows = 0;
    for (;;) {
      const bool row = BULWARK_TRY(query.step());
      if (!row) break;
      ++rows;
      after = query.int64_at(0);
      const auto id = static_cast<std::uint64_t>(after);
      const Bytes block = query.blob_at(1);
      if (auto applied = apply(block, id); !applied) {
        return fail(Errc::storage,
                    "hot journal row " + std::to_string(after) + ": " + applied.error().context);
      }
      if (first_row) oldest_row_ = id;
      first_row = false;
      row_bytes_[id] = block.size();
      journal_bytes_ += block.size();
      next_row_id_ = id + 1;
    }
    if (rows < journal_page) return {};
  }
}

Result<void> HotQueues::apply(ByteView block, std::uint64_t row) {
  std::vector<JournalRecord> records = BULWARK_TRY(decode_journal_block(block));
  std::vector<Held> discarded;
  for (JournalRecord& record : records) {
    std::visit(Overloaded{
                   [&](JournalEnqueued& queued) {
                     add(Held{std::move(queued.envelope), row});
                   },
                   [&](JournalRemoved& removed) { take(removed.device, removed.seq, discarded); },
                   [&](JournalAccountDropped& dropped) { take_account(dropped.account); },
                   [&](JournalReset&) {
                     queues_.clear();
                     rows_live_.clear();
                     count_ = 0;
                     content_bytes_ = 0;
                   },
               },
               record);
    discarded.clear();
  }
  return {};
}

Result<void> HotQueues::keep_within_limits() {
  if (count_ >= limits_.max_envelopes || content_bytes_ >= limits_.max_content_bytes)
    return flush_in_transaction();
  if (journal_bytes_ < limits_.max_journal_bytes || rows_live_.empty()) return {};
  // Rows go only from the oldest on. Up to the oldest row with an envelope in memory, and then
  // as many rows as make half the journal, so that a few stragglers do not bring this back at
  // the next commit: when those rows hold half the journal, requeue their envelopes.
  const std::uint64_t first_live = rows_live_.begin()->first;
  std::size_t bytes = 0;
  std::uint64_t last = first_live;
  for (const auto& [row, size] : row_bytes_) {
    if (row > first_live && bytes >= limits_.max_journal_bytes / 2) break;
    bytes += size;
    last = std::max(last, row);
  }
  if (bytes < limits_.max_journal_bytes / 2) return {};
  // Queueing them again must cost much less than the journal it frees, else the table takes all.
  std::size_t requeued = 0;
  for (const auto& [device, queue] : queues_) {
    for (const auto& [seq, held] : queue) {
      if (held.row <= last) requeued += record_overhead_bytes + held.envelope.content.size();
    }
  }
  if (requeued > limits_.max_journal_bytes / 4) return flush_in_transaction();
  requeue_through(last);
  return {};
}

void HotQueues::requeue_through(std::uint64_t last) {
  Undo undo{Undo::Kind::move, {}, pending_.size(), {}, nullptr, {}};
  for (auto& [device, queue] : queues_) {
    for (auto& [seq, held] : queue) {
      if (held.row > last) continue;
      undo.moved.push_back(Moved{device, seq, held.row});
      append_enqueued(pending_, held.envelope);
      count_row(held.row, -1);
      held.row = next_row_id_;
      count_row(held.row, +1);
    }
  }
  undo_.push_back(std::move(undo));
}

Result<void> HotQueues::enqueue(std::span<Envelope> envelopes) {
  if (envelopes.empty()) return {};
  auto seqs = sql::in_savepoint(db_, [&]() -> Result<std::vector<std::uint64_t>> {
    BULWARK_TRY(keep_within_limits());
    std::vector<DeviceAddress> destinations;
    destinations.reserve(envelopes.size());
    for (const Envelope& envelope : envelopes) destinations.push_back(envelope.destination);
    std::vector<std::uint64_t> positions = BULWARK_TRY(reserve_positions(destinations));
    // The table's first, since they can fail: what goes to memory below cannot.
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
      if (fits_in_memory(envelopes[i])) continue;
      Envelope stored = envelopes[i];
      stored.seq = positions[i];
      BULWARK_TRY(sql::insert_at(db_, stored));
    }
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
      if (!fits_in_memory(envelopes[i])) continue;
      Envelope kept = envelopes[i];
      kept.seq = positions[i];
      append_enqueued(pending_, kept);
      undo_.push_back(Undo{Undo::Kind::add, kept.destination, kept.seq, {}, nullptr, {}});
      add(Held{std::move(kept), next_row_id_});
    }
    return positions;
  });
  if (!seqs) return tl::unexpected(std::move(seqs).error());
  // Only now: a failed enqueue leaves the caller's envelopes as they were.
  for (std::size_t i = 0; i < envelopes.size(); ++i) envelopes[i].seq = (*seqs)[i];
  return {};
}

Result<std::vector<std::uint64_t>> HotQueues::reserve_positions(
    std::span<const DeviceAddress> devices) {
  std::vector<std::uint64_t> positions;
  positions.reserve(devices.size());
  for (const DeviceAddress& device : devices) {
    const auto known = known_positions_.find(device);
    if (known != known_positions_.end() &&
        known->second < std::numeric_limits<std::int64_t>::max()) {
      const std::uint64_t next = known->second + 1;
      auto advance = BULWARK_TRY(db_.prepare(advance_known_position));
      advance.bind(static_cast<std::int64_t>(next));
      sql::bind_address(advance, device).bind(static_cast<std::int64_t>(known->second));
      BULWARK_TRY(advance.finish());
      if (db_.changes() == 1) {
        known->second = next;
        positions.push_back(next);
        continue;
      }
    }
    const std::vector<std::uint64_t> fresh =
        BULWARK_TRY(sql::reserve_positions(db_, std::span<const DeviceAddress>(&device, 1)));
    if (known_positions_.size() >= max_known_positions) known_positions_.clear();
    known_positions_[device] = fresh.front();
    positions.push_back(fresh.front());
  }
  return positions;
}

Result<std::vector<Envelope>> HotQueues::queued(const DeviceAddress& device,
                                                std::uint64_t after_seq, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_queued_page);
  std::vector<Envelope> stored = BULWARK_TRY(sql::queued(db_, device, after_seq, page));
  const auto queue = queues_.find(device);
  if (queue == queues_.end()) return stored;
  // Both in position order: merge them, up to a page.
  std::vector<Envelope> out;
  out.reserve(std::min<std::size_t>(page, stored.size() + queue->second.size()));
  auto from_table = stored.begin();
  auto from_memory = queue->second.upper_bound(after_seq);
  while (out.size() < page) {
    const bool table_left = from_table != stored.end();
    const bool memory_left = from_memory != queue->second.end();
    if (!table_left && !memory_left) break;
    if (table_left && (!memory_left || from_table->seq < from_memory->first)) {
      out.push_back(std::move(*from_table++));
    } else {
      out.push_back(from_memory->second.envelope);
      ++from_memory;
    }
  }
  return out;
}

Result<std::uint64_t> HotQueues::queue_length(const DeviceAddress& device) {
  const std::uint64_t stored = BULWARK_TRY(sql::queue_length(db_, device));
  const auto queue = queues_.find(device);
  return stored + (queue == queues_.end() ? 0 : queue->second.size());
}

Result<std::uint32_t> HotQueues::delete_envelopes(const DeviceAddress& device,
                                                  std::span<const std::uint64_t> seqs) {
  if (seqs.empty()) return std::uint32_t{0};
  return sql::in_savepoint(db_, [&]() -> Result<std::uint32_t> {
    std::vector<std::uint64_t> in_table;
    std::vector<Held> removed;
    for (const std::uint64_t seq : seqs) {
      if (take(device, seq, removed)) {
        append_removed(pending_, device, seq);
      } else {
        in_table.push_back(seq);
      }
    }
    auto deleted = static_cast<std::uint32_t>(removed.size());
    push_removed(std::move(removed));
    // The common case, an acknowledgement of envelopes still in memory, runs no statement.
    if (!in_table.empty()) deleted += BULWARK_TRY(sql::delete_envelopes(db_, device, in_table));
    return deleted;
  });
}

Result<std::uint64_t> HotQueues::expire_envelopes(std::int64_t now_ms) {
  return sql::in_savepoint(db_, [&]() -> Result<std::uint64_t> {
    std::vector<std::pair<DeviceAddress, std::uint64_t>> expired;
    for (const auto& [device, queue] : queues_) {
      for (const auto& [seq, held] : queue) {
        if (held.envelope.expires_at_ms <= now_ms) expired.emplace_back(device, seq);
      }
    }
    std::vector<Held> removed;
    for (const auto& [device, seq] : expired) {
      take(device, seq, removed);
      append_removed(pending_, device, seq);
    }
    const std::uint64_t from_memory = removed.size();
    push_removed(std::move(removed));
    const std::uint64_t from_table = BULWARK_TRY(sql::expire_envelopes(db_, now_ms));
    return from_memory + from_table;
  });
}

void HotQueues::drop_account(const AccountId& account) {
  std::vector<Held> dropped = take_account(account);
  if (dropped.empty()) return;
  append_account_dropped(pending_, account);
  push_removed(std::move(dropped));
}

Result<void> HotQueues::flush() {
  return sql::in_savepoint(db_, [&] { return flush_in_transaction(); });
}

Result<void> HotQueues::flush_in_transaction() {
  for (const auto& [device, queue] : queues_) {
    for (const auto& [seq, held] : queue) BULWARK_TRY(sql::insert_at(db_, held.envelope));
  }
  // What this transaction wrote to the journal so far is in the table now too: this row starts
  // with a reset instead, which makes the rows before it obsolete; all is back if this rolls back.
  auto flushed = std::make_unique<Flushed>(Flushed{std::move(queues_), std::move(rows_live_),
                                                   count_, content_bytes_, std::move(pending_)});
  undo_.push_back(Undo{Undo::Kind::flush, {}, 0, {}, std::move(flushed), {}});
  queues_.clear();
  rows_live_.clear();
  count_ = 0;
  content_bytes_ = 0;
  pending_.clear();
  append_reset(pending_);
  return {};
}

void HotQueues::count_row(std::uint64_t row, int change) {
  if (change > 0) {
    ++rows_live_[row];
    return;
  }
  const auto found = rows_live_.find(row);
  if (found == rows_live_.end()) return;
  if (--found->second == 0) rows_live_.erase(found);
}

void HotQueues::add(Held held) {
  const DeviceAddress device = held.envelope.destination;
  const std::uint64_t seq = held.envelope.seq;
  const std::size_t size = held.envelope.content.size();
  const std::uint64_t row = held.row;
  Queue& queue = queues_[device];
  const auto existing = queue.find(seq);
  if (existing != queue.end()) {
    // Queued again in a later row (requeue_oldest), replayed: the later record is its home.
    count_row(existing->second.row, -1);
    content_bytes_ -= existing->second.envelope.content.size();
    existing->second = std::move(held);
  } else {
    queue.emplace(seq, std::move(held));
    ++count_;
  }
  content_bytes_ += size;
  count_row(row, +1);
}

bool HotQueues::take(const DeviceAddress& device, std::uint64_t seq, std::vector<Held>& into) {
  const auto queue = queues_.find(device);
  if (queue == queues_.end()) return false;
  const auto found = queue->second.find(seq);
  if (found == queue->second.end()) return false;
  --count_;
  content_bytes_ -= found->second.envelope.content.size();
  count_row(found->second.row, -1);
  into.push_back(std::move(found->second));
  queue->second.erase(found);
  // An empty queue goes, so that memory follows the envelopes, not every device ever sent to.
  if (queue->second.empty()) queues_.erase(queue);
  return true;
}

std::vector<HotQueues::Held> HotQueues::take_account(const AccountId& account) {
  // Every queue is looked at: a re-registration is rare, a lookup by device on every message.
  std::vector<Held> taken;
  for (auto queue = queues_.begin(); queue != queues_.end();) {
    if (queue->first.account != account) {
      ++queue;
      continue;
    }
    for (auto& [seq, held] : queue->second) {
      --count_;
      content_bytes_ -= held.envelope.content.size();
      count_row(held.row, -1);
      taken.push_back(std::move(held));
    }
    queue = queues_.erase(queue);
  }
  return taken;
}

void HotQueues::push_removed(std::vector<Held> held) {
  if (held.empty()) return;
  undo_.push_back(Undo{Undo::Kind::remove, {}, 0, std::move(held), nullptr, {}});
}

void HotQueues::undo_to(std::size_t size) noexcept {
  while (undo_.size() > size) {
    Undo undo = std::move(undo_.back());
    undo_.pop_back();
    switch (undo.kind) {
      case Undo::Kind::add: {
        std::vector<Held> discarded;
        take(undo.device, undo.seq, discarded);
        break;
      }
      case Undo::Kind::remove:
        for (Held& held : undo.held) add(std::move(held));
        break;
      case Undo::Kind::flush:
        queues_ = std::move(undo.flushed->queues);
        rows_live_ = std::move(undo.flushed->rows_live);
        count_ = undo.flushed->count;
        content_bytes_ = undo.flushed->content_bytes;
        pending_ = std::move(undo.flushed->pending);
        break;
      case Undo::Kind::move:
        for (const Moved& moved : undo.moved) {
          const auto queue = queues_.find(moved.device);
          if (queue == queues_.end()) continue;
          const auto held = queue->second.find(moved.seq);
          if (held == queue->second.end()) continue;
          count_row(held->second.row, -1);
          held->second.row = moved.row;
          count_row(held->second.row, +1);
        }
        pending_.resize(undo.seq);
        break;
    }
  }
}

Result<void> HotQueues::before_commit() {
  planned_oldest_row_ = oldest_row_;
  if (!pending_.empty()) {
    auto statement = BULWARK_TRY(db_.prepare(insert_block));
    statement.bind(static_cast<std::int64_t>(next_row_id_)).bind(ByteView(pending_));
    BULWARK_TRY(statement.finish());
  }
  // The rows before the oldest one with an envelope in memory, never this transaction's own.
  std::uint64_t end = next_row_id_;
  if (!rows_live_.empty()) end = std::min(end, rows_live_.begin()->first);
  end = std::min(end, oldest_row_ + rows_deleted_per_commit);
  if (end > oldest_row_) {
    auto statement = BULWARK_TRY(db_.prepare(delete_rows));
    statement.bind(static_cast<std::int64_t>(oldest_row_)).bind(static_cast<std::int64_t>(end));
    BULWARK_TRY(statement.finish());
    planned_oldest_row_ = end;
  }
  return {};
}

void HotQueues::committed() noexcept {
  if (!pending_.empty()) {
    row_bytes_[next_row_id_] = pending_.size();
    journal_bytes_ += pending_.size();
    ++next_row_id_;
  }
  while (!row_bytes_.empty() && row_bytes_.begin()->first < planned_oldest_row_) {
    journal_bytes_ -= row_bytes_.begin()->second;
    row_bytes_.erase(row_bytes_.begin());
  }
  oldest_row_ = planned_oldest_row_;
  undo_.clear();
  marks_.clear();
  pending_.clear();
}

void HotQueues::rolled_back() noexcept {
  undo_to(0);
  marks_.clear();
  pending_.clear();
}

void HotQueues::savepoint_begun() noexcept { marks_.push_back({undo_.size(), pending_.size()}); }

void HotQueues::savepoint_released() noexcept {
  if (!marks_.empty()) marks_.pop_back();
}

void HotQueues::savepoint_rolled_back() noexcept {
  if (marks_.empty()) return rolled_back();
  const Mark mark = marks_.back();
  marks_.pop_back();
  undo_to(mark.undo);
  pending_.resize(mark.pending);
}

}  // namespace bulwark::store::hot
