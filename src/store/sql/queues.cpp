#include "store/sql/queues.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "store/limits.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

// The device's next position; the row is locked until commit, so one device's positions commit
// in order (migration 11). An unknown device fails the foreign key: Errc::not_found.
constexpr Sql next_position{
    "enqueue: next queue position",
    "INSERT INTO queue_positions (account_id, device_id, last_seq) VALUES (?, ?, 1) "
    "ON CONFLICT (account_id, device_id) DO UPDATE SET last_seq = queue_positions.last_seq + 1 "
    "RETURNING last_seq"};
// The same in two plain statements, for a backend whose RETURNING is dear (Db::
// returning_is_cheap): the row exists once the device was sent anything.
constexpr Sql advance_position{
    "enqueue: advance queue position",
    "UPDATE queue_positions SET last_seq = last_seq + 1 WHERE account_id = ? AND device_id = ?"};
constexpr Sql select_position{
    "enqueue: read queue position",
    "SELECT last_seq FROM queue_positions WHERE account_id = ? AND device_id = ?"};
constexpr Sql insert_envelope{
    "enqueue envelope",
    "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device, "
    "envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms, "
    "franking_tag, group_id, group_epoch, shared_content) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Sql insert_shared_content{
    "store shared content", "INSERT INTO shared_contents (content) VALUES (?) RETURNING id"};
// A copy of a message sent to many devices names its bytes in shared_contents (version 10).
constexpr Sql select_queued{
    "read queue",
    "SELECT e.seq, e.id, e.source_account, e.source_device, e.envelope_type, "
    "COALESCE(s.content, e.content), e.server_timestamp_ms, e.client_timestamp_ms, "
    "e.expires_at_ms, e.franking_tag, e.group_id, e.group_epoch "
    "FROM envelopes e LEFT JOIN shared_contents s ON s.id = e.shared_content "
    "WHERE e.account_id = ? AND e.device_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?"};
constexpr Sql count_queued{"queue length",
                           "SELECT COUNT(*) FROM envelopes WHERE account_id = ? AND device_id = ?"};
// By primary key (the device and a run of its positions): a device acknowledges what one read
// brought, usually consecutive positions, so one statement deletes most acknowledgements.
constexpr Sql delete_envelope_run{
    "delete envelopes",
    "DELETE FROM envelopes WHERE account_id = ? AND device_id = ? AND seq BETWEEN ? AND ?"};
// A slice at a time, so that each statement stays well inside a session's statement limit
// (PostgreSQL, store/pg/db.h) however large a backlog of expired envelopes has grown.
constexpr Sql delete_expired_slice{
    "expire envelopes",
    "DELETE FROM envelopes WHERE (account_id, device_id, seq) IN (SELECT account_id, device_id, "
    "seq FROM envelopes WHERE expires_at_ms <= ? LIMIT ?)"};
constexpr std::int64_t expiry_slice = 5'000;

// Moves the device's counter on by one; returns the position.
Result<std::int64_t> reserve(Db& db, const DeviceAddress& device) {
  if (!db.returning_is_cheap()) {
    {
      auto advance = BULWARK_TRY(db.prepare(advance_position));
      bind_address(advance, device);
      BULWARK_TRY(advance.finish());
    }
    if (db.changes() == 1) {
      auto query = BULWARK_TRY(db.prepare(select_position));
      bind_address(query, device);
      const bool found = BULWARK_TRY(query.step());
      if (!found) return fail(Errc::storage, "enqueue: no queue position");
      const std::int64_t seq = query.int64_at(0);
      BULWARK_TRY(query.finish());
      return seq;
    }
    // No row yet (the device's first envelope): the upsert below creates it.
  }
  auto statement = BULWARK_TRY(db.prepare(next_position));
  bind_address(statement, device);
  const bool found = BULWARK_TRY(statement.step());
  if (!found) return fail(Errc::storage, "enqueue: no queue position");
  const std::int64_t seq = statement.int64_at(0);
  BULWARK_TRY(statement.finish());
  return seq;
}

// Stores `envelope` for `destination` at `seq`: with its own content, or (shared_content set)
// naming the row of shared_contents that holds it.
Result<void> insert(Db& db, const Envelope& envelope, const DeviceAddress& destination,
                    std::int64_t seq, std::optional<std::int64_t> shared_content) {
  auto statement = BULWARK_TRY(db.prepare(insert_envelope));
  statement.bind(seq);
  bind_id(statement, envelope.id);
  bind_address(statement, destination);
  bind_id(statement, envelope.source_account);
  bind_device(statement, envelope.source_device)
      .bind(static_cast<std::int64_t>(envelope.type))
      .bind(shared_content ? ByteView{} : ByteView(envelope.content))
      .bind(envelope.server_timestamp_ms)
      .bind(envelope.client_timestamp_ms)
      .bind(envelope.expires_at_ms)
      .bind(envelope.franking_tag)
      .bind(envelope.group_id)
      .bind(clamp_to_sql(envelope.group_epoch));
  if (shared_content) {
    statement.bind(*shared_content);
  } else {
    statement.bind_null();
  }
  return statement.finish();
}

// Stores every envelope; returns their positions in order. The caller holds a savepoint.
Result<std::vector<std::uint64_t>> store_all(Db& db, std::span<const Envelope> envelopes) {
  std::vector<DeviceAddress> destinations;
  destinations.reserve(envelopes.size());
  for (const Envelope& envelope : envelopes) destinations.push_back(envelope.destination);
  std::vector<std::uint64_t> seqs = BULWARK_TRY(reserve_positions(db, destinations));
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    BULWARK_TRY(insert(db, envelopes[i], destinations[i], static_cast<std::int64_t>(seqs[i]),
                       std::nullopt));
  }
  return seqs;
}

Result<Envelope> envelope_from_row(const Statement& row, const DeviceAddress& device) {
  Envelope envelope;
  envelope.seq = static_cast<std::uint64_t>(row.int64_at(0));
  auto id = BULWARK_TRY(envelope_id_at(row, 1));
  auto source_account = BULWARK_TRY(account_id_at(row, 2));
  const DeviceId source_device = BULWARK_TRY(device_id_at(row, 3));
  const std::uint32_t type = BULWARK_TRY(row.u32_at(4));
  envelope.id = id;
  envelope.destination = device;
  envelope.source_account = source_account;
  envelope.source_device = source_device;
  envelope.type = type;
  envelope.content = row.blob_at(5);
  envelope.server_timestamp_ms = row.int64_at(6);
  envelope.client_timestamp_ms = row.int64_at(7);
  envelope.expires_at_ms = row.int64_at(8);
  envelope.franking_tag = row.blob_at(9);
  envelope.group_id = row.blob_at(10);
  envelope.group_epoch = BULWARK_TRY(u64_at(row, 11, "read queue"));
  return envelope;
}

// Runs of consecutive positions, from sorted distinct positions that SQL can hold.
struct PositionRun {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

std::vector<PositionRun> runs_of(std::span<const std::uint64_t> seqs) {
  std::vector<std::uint64_t> sorted(seqs.begin(), seqs.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<PositionRun> runs;
  for (const std::uint64_t seq : sorted) {
    // Positions are signed 64-bit in SQL; none is stored beyond the largest.
    if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) break;
    const auto position = static_cast<std::int64_t>(seq);
    if (!runs.empty() && runs.back().last + 1 == position) {
      runs.back().last = position;
    } else {
      runs.push_back({position, position});
    }
  }
  return runs;
}

Result<std::uint32_t> delete_runs(Db& db, const DeviceAddress& device,
                                  std::span<const PositionRun> runs) {
  std::uint32_t deleted = 0;
  for (const PositionRun& run : runs) {
    auto statement = BULWARK_TRY(db.prepare(delete_envelope_run));
    bind_address(statement, device).bind(run.first).bind(run.last);
    BULWARK_TRY(statement.finish());
    deleted += static_cast<std::uint32_t>(db.changes());
  }
  return deleted;
}

}  // namespace

Result<void> enqueue(Db& db, std::span<Envelope> envelopes) {
  if (envelopes.empty()) return {};
  const std::vector<std::uint64_t> seqs =
      BULWARK_TRY(in_savepoint(db, [&] { return store_all(db, envelopes); }));
  // Only now: a failed enqueue leaves the caller's envelopes as they were.
  for (std::size_t i = 0; i < envelopes.size(); ++i) envelopes[i].seq = seqs[i];
  return {};
}

Result<std::vector<Envelope>> queued(Db& db, const DeviceAddress& device, std::uint64_t after_seq,
                                     std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_queued_page);
  // Positions are signed 64-bit in SQL; nothing is queued beyond the largest.
  if (page == 0 || after_seq >= std::numeric_limits<std::int64_t>::max()) {
    return std::vector<Envelope>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_queued));
  bind_address(query, device)
      .bind(static_cast<std::int64_t>(after_seq))
      .bind(static_cast<std::int64_t>(page));
  std::vector<Envelope> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    auto envelope = BULWARK_TRY(envelope_from_row(query, device));
    out.push_back(std::move(envelope));
  }
  return out;
}

Result<std::uint64_t> queue_length(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(count_queued));
  bind_address(query, device);
  const bool row = BULWARK_TRY(query.step());
  if (!row) return fail(Errc::storage, "queue length: no count");
  return static_cast<std::uint64_t>(query.int64_at(0));
}

Result<std::uint32_t> delete_envelopes(Db& db, const DeviceAddress& device,
                                       std::span<const std::uint64_t> seqs) {
  const std::vector<PositionRun> runs = runs_of(seqs);
  if (runs.empty()) return std::uint32_t{0};
  // One statement is atomic on its own: the savepoint is only for several.
  if (runs.size() == 1) return delete_runs(db, device, runs);
  return in_savepoint(db, [&] { return delete_runs(db, device, runs); });
}

Result<void> insert_at(Db& db, const Envelope& envelope) {
  if (envelope.seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return fail(Errc::invalid_argument, "enqueue: a queue position beyond SQL's");
  return insert(db, envelope, envelope.destination, static_cast<std::int64_t>(envelope.seq),
                std::nullopt);
}

Result<std::vector<std::uint64_t>> reserve_positions(Db& db,
                                                     std::span<const DeviceAddress> devices) {
  // Stable: a device named twice is reserved for in the caller's order, so its positions
  // increase in that order too.
  std::vector<std::size_t> lock_order(devices.size());
  for (std::size_t i = 0; i < lock_order.size(); ++i) lock_order[i] = i;
  std::stable_sort(lock_order.begin(), lock_order.end(),
                   [&](std::size_t a, std::size_t b) { return devices[a] < devices[b]; });
  std::vector<std::uint64_t> seqs(devices.size());
  for (const std::size_t i : lock_order) {
    const std::int64_t seq = BULWARK_TRY(reserve(db, devices[i]));
    seqs[i] = static_cast<std::uint64_t>(seq);
  }
  return seqs;
}

Result<std::vector<std::uint64_t>> write_shared(Db& db, const Envelope& shared,
                                                std::span<const DeviceAddress> devices) {
  if (devices.empty()) return std::vector<std::uint64_t>{};
  std::vector<std::uint64_t> seqs = BULWARK_TRY(reserve_positions(db, devices));
  BULWARK_TRY(write_shared_at(db, shared, devices, seqs));
  return seqs;
}

Result<void> write_shared_at(Db& db, const Envelope& shared, std::span<const DeviceAddress> devices,
                             std::span<const std::uint64_t> seqs) {
  if (seqs.size() != devices.size()) {
    return fail(Errc::invalid_argument, "store shared content: a position per device");
  }
  if (devices.empty()) return {};
  std::int64_t content_id = 0;
  {
    auto statement = BULWARK_TRY(db.prepare(insert_shared_content));
    statement.bind(shared.content);
    const bool row = BULWARK_TRY(statement.step());
    if (!row) return fail(Errc::storage, "store shared content: no id");
    content_id = statement.int64_at(0);
    BULWARK_TRY(statement.finish());
  }
  for (std::size_t i = 0; i < devices.size(); ++i) {
    BULWARK_TRY(insert(db, shared, devices[i], static_cast<std::int64_t>(seqs[i]), content_id));
  }
  return {};
}

Result<std::uint64_t> expire_envelopes(Db& db, std::int64_t now_ms) {
  return in_savepoint(db, [&]() -> Result<std::uint64_t> {
    std::uint64_t expired = 0;
    for (;;) {
      auto statement = BULWARK_TRY(db.prepare(delete_expired_slice));
      statement.bind(now_ms).bind(expiry_slice);
      BULWARK_TRY(statement.finish());
      const std::int64_t deleted = db.changes();
      expired += static_cast<std::uint64_t>(deleted);
      if (deleted < expiry_slice) return expired;
    }
  });
}

}  // namespace bulwark::store::sql
