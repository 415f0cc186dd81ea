#include "store/sql/kt.h"

#include <algorithm>
#include <limits>
#include <string>

#include "store/limits.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr std::int64_t max_sql_int = std::numeric_limits<std::int64_t>::max();

constexpr Sql reserve_seq{
    "reserve kt queue position",
    "UPDATE counters SET value = value + 1 WHERE name = 'kt_seq' RETURNING value"};
constexpr Sql insert_pending{"queue kt update",
                             "INSERT INTO kt_pending (seq, label, value) VALUES (?, ?, ?)"};
constexpr Sql select_pending{
    "read kt queue", "SELECT seq, label, value FROM kt_pending WHERE seq > ? ORDER BY seq LIMIT ?"};
// Queued first: a queued update is newer than anything published. Each half is one descent of
// its (label, ...) index.
constexpr Sql select_latest{
    "read latest kt value",
    "SELECT COALESCE("
    "(SELECT value FROM kt_pending WHERE label = ? ORDER BY seq DESC LIMIT 1), "
    "(SELECT value FROM kt_versions WHERE label = ? ORDER BY version DESC LIMIT 1))"};
// Entries are numbered without gaps from 0, so the count is the largest index plus one; MAX is
// one index descent where COUNT(*) would scan the table.
constexpr Sql count_entries{"count kt entries", "SELECT COALESCE(MAX(idx) + 1, 0) FROM kt_entries"};
constexpr Sql insert_entry{
    "store kt entry",
    "INSERT INTO kt_entries (idx, timestamp_ms, prefix_root, checkpoint) VALUES (?, ?, ?, ?)"};
constexpr Sql insert_version{
    "store kt version",
    "INSERT INTO kt_versions (entry, ord, label, version, opening, value, vrf_output, "
    "commitment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Sql delete_consumed{"consume kt updates", "DELETE FROM kt_pending WHERE seq <= ?"};
constexpr Sql select_entries{
    "read kt entries",
    "SELECT idx, timestamp_ms, prefix_root, checkpoint FROM kt_entries WHERE idx >= ? "
    "ORDER BY idx LIMIT ?"};
// A row-value comparison (SQL-92, and PostgreSQL's too) is one range of the primary key.
constexpr Sql select_versions{
    "read kt versions",
    "SELECT entry, label, version, opening, value, vrf_output, commitment FROM kt_versions "
    "WHERE (entry, ord) >= (?, ?) ORDER BY entry, ord LIMIT ?"};
constexpr Sql count_other_witnesses{
    "count kt cosignatures",
    "SELECT COUNT(*) FROM kt_cosignatures WHERE size = ? AND witness <> ?"};
constexpr Sql upsert_cosignature{
    "store kt cosignature",
    "INSERT INTO kt_cosignatures (size, witness, signature_line, received_at_ms) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (size, witness) DO UPDATE SET "
    "signature_line = excluded.signature_line, received_at_ms = excluded.received_at_ms"};
// Witness names are ASCII key names, so byte order is name order. (PostgreSQL: COLLATE "C".)
constexpr Sql select_cosignatures{
    "read kt cosignatures",
    "SELECT witness, signature_line, received_at_ms FROM kt_cosignatures WHERE size = ? "
    "ORDER BY witness LIMIT ?"};

Result<void> check_size(ByteView bytes, std::size_t size, std::string_view what) {
  if (bytes.size() != size) {
    return fail(Errc::invalid_argument,
                "kt publish: " + std::string(what) + " must be " + std::to_string(size) + " bytes");
  }
  return {};
}

Result<void> check_publishable(const KtEntry& entry, std::span<const KtVersion> versions) {
  BULWARK_TRY(check_size(entry.prefix_root, kt_hash_bytes, "prefix root"));
  if (entry.timestamp_ms > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::invalid_argument, "kt publish: timestamp out of range");
  }
  for (const KtVersion& version : versions) {
    BULWARK_TRY(check_size(version.opening, kt_opening_bytes, "opening"));
    BULWARK_TRY(check_size(version.vrf_output, kt_hash_bytes, "vrf output"));
    BULWARK_TRY(check_size(version.commitment, kt_hash_bytes, "commitment"));
    if (version.entry != entry.index) {
      return fail(Errc::invalid_argument, "kt publish: a version names another entry");
    }
  }
  return {};
}

Result<std::int64_t> reserve(Db& db) {
  auto statement = BULWARK_TRY(db.prepare(reserve_seq));
  const bool found = BULWARK_TRY(statement.step());
  if (!found) return fail(Errc::storage, "reserve kt queue position: counter missing");
  const std::int64_t seq = statement.int64_at(0);
  BULWARK_TRY(statement.finish());
  return seq;
}

Result<std::uint64_t> queue_in_savepoint(Db& db, ByteView label, ByteView value) {
  const std::int64_t seq = BULWARK_TRY(reserve(db));
  auto statement = BULWARK_TRY(db.prepare(insert_pending));
  statement.bind(seq).bind(label).bind(value);
  BULWARK_TRY(statement.finish());
  return static_cast<std::uint64_t>(seq);
}

Result<std::uint64_t> entry_count(Db& db) {
  auto query = BULWARK_TRY(db.prepare(count_entries));
  const bool row = BULWARK_TRY(query.step());
  if (!row) return fail(Errc::storage, "count kt entries: no count");
  return u64_at(query, 0, count_entries.op);
}

Result<void> store_version(Db& db, const KtVersion& version, std::size_t ord) {
  auto statement = BULWARK_TRY(db.prepare(insert_version));
  statement.bind(static_cast<std::int64_t>(version.entry))
      .bind(static_cast<std::int64_t>(ord))
      .bind(version.label)
      .bind(static_cast<std::int64_t>(version.version))
      .bind(version.opening)
      .bind(version.value)
      .bind(version.vrf_output)
      .bind(version.commitment);
  return statement.finish();
}

// The caller holds a savepoint and has checked the sizes.
Result<void> publish_in_savepoint(Db& db, const KtEntry& entry, std::span<const KtVersion> versions,
                                  std::uint64_t consumed_through) {
  BULWARK_TRY(db.lock_for_append("kt_entries"));  // entries are numbered MAX + 1
  const std::uint64_t stored = BULWARK_TRY(entry_count(db));
  if (entry.index != stored) {
    return fail(Errc::conflict, "kt publish: entry " + std::to_string(entry.index) +
                                    " is not the next (" + std::to_string(stored) + ")");
  }
  auto statement = BULWARK_TRY(db.prepare(insert_entry));
  statement.bind(static_cast<std::int64_t>(entry.index))
      .bind(static_cast<std::int64_t>(entry.timestamp_ms))
      .bind(entry.prefix_root)
      .bind(entry.checkpoint);
  BULWARK_TRY(statement.finish());
  for (std::size_t ord = 0; ord < versions.size(); ++ord) {
    BULWARK_TRY(store_version(db, versions[ord], ord));
  }
  auto consume = BULWARK_TRY(db.prepare(delete_consumed));
  consume.bind(clamp_to_sql(consumed_through));
  return consume.finish();
}

Result<KtVersion> version_from_row(const Statement& row) {
  KtVersion version;
  version.entry = BULWARK_TRY(u64_at(row, 0, select_versions.op));
  version.label = row.blob_at(1);
  version.version = BULWARK_TRY(row.u32_at(2));
  version.opening = row.blob_at(3);
  version.value = row.blob_at(4);
  version.vrf_output = row.blob_at(5);
  version.commitment = row.blob_at(6);
  return version;
}

Result<void> add_cosignature_in_savepoint(Db& db, const KtCosignature& cosignature) {
  auto count = BULWARK_TRY(db.prepare(count_other_witnesses));
  count.bind(static_cast<std::int64_t>(cosignature.size)).bind(cosignature.witness);
  const bool row = BULWARK_TRY(count.step());
  if (!row) return fail(Errc::storage, "count kt cosignatures: no count");
  if (count.int64_at(0) >= static_cast<std::int64_t>(max_kt_cosignatures)) {
    return fail(Errc::conflict, "store kt cosignature: too many witnesses for this size");
  }
  auto statement = BULWARK_TRY(db.prepare(upsert_cosignature));
  statement.bind(static_cast<std::int64_t>(cosignature.size))
      .bind(cosignature.witness)
      .bind(cosignature.signature_line)
      .bind(cosignature.received_at_ms);
  return statement.finish();
}

}  // namespace

Result<std::uint64_t> kt_queue_update(Db& db, ByteView label, ByteView value) {
  return in_savepoint(db, [&] { return queue_in_savepoint(db, label, value); });
}

Result<std::vector<KtPendingUpdate>> kt_pending(Db& db, std::uint64_t after_seq,
                                                std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_kt_page);
  // Nothing is queued beyond the largest signed position.
  if (page == 0 || after_seq >= static_cast<std::uint64_t>(max_sql_int)) {
    return std::vector<KtPendingUpdate>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_pending));
  query.bind(static_cast<std::int64_t>(after_seq)).bind(static_cast<std::int64_t>(page));
  std::vector<KtPendingUpdate> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    const std::uint64_t seq = BULWARK_TRY(u64_at(query, 0, select_pending.op));
    out.push_back(KtPendingUpdate{seq, query.blob_at(1), query.blob_at(2)});
  }
  return out;
}

Result<std::optional<Bytes>> kt_latest_value(Db& db, ByteView label) {
  auto query = BULWARK_TRY(db.prepare(select_latest));
  query.bind(label).bind(label);
  const bool row = BULWARK_TRY(query.step());
  if (!row || query.is_null(0)) return std::optional<Bytes>{};
  return std::optional<Bytes>(query.blob_at(0));
}

Result<void> kt_publish(Db& db, const KtEntry& entry, std::span<const KtVersion> versions,
                        std::uint64_t consumed_through) {
  BULWARK_TRY(check_publishable(entry, versions));
  return in_savepoint(db,
                      [&] { return publish_in_savepoint(db, entry, versions, consumed_through); });
}

Result<std::vector<KtEntry>> kt_entries(Db& db, std::uint64_t from, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_kt_page);
  if (page == 0 || from > static_cast<std::uint64_t>(max_sql_int)) {
    return std::vector<KtEntry>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_entries));
  query.bind(static_cast<std::int64_t>(from)).bind(static_cast<std::int64_t>(page));
  std::vector<KtEntry> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    KtEntry entry;
    entry.index = BULWARK_TRY(u64_at(query, 0, select_entries.op));
    entry.timestamp_ms = BULWARK_TRY(u64_at(query, 1, select_entries.op));
    entry.prefix_root = query.blob_at(2);
    entry.checkpoint = query.text_at(3);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<KtVersion>> kt_versions(Db& db, std::uint64_t from_entry, std::uint64_t skip,
                                           std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_kt_page);
  if (page == 0 || from_entry > static_cast<std::uint64_t>(max_sql_int)) {
    return std::vector<KtVersion>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_versions));
  // No entry holds 2^63 - 1 versions, so a larger skip passes over all of from_entry's.
  query.bind(static_cast<std::int64_t>(from_entry))
      .bind(clamp_to_sql(skip))
      .bind(static_cast<std::int64_t>(page));
  std::vector<KtVersion> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    auto version = BULWARK_TRY(version_from_row(query));
    out.push_back(std::move(version));
  }
  return out;
}

Result<void> kt_add_cosignature(Db& db, const KtCosignature& cosignature) {
  if (cosignature.witness.empty()) {
    return fail(Errc::invalid_argument, "store kt cosignature: empty witness name");
  }
  if (cosignature.size > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::invalid_argument, "store kt cosignature: size out of range");
  }
  return in_savepoint(db, [&] { return add_cosignature_in_savepoint(db, cosignature); });
}

Result<std::vector<KtCosignature>> kt_cosignatures(Db& db, std::uint64_t size) {
  if (size > static_cast<std::uint64_t>(max_sql_int)) return std::vector<KtCosignature>{};
  auto query = BULWARK_TRY(db.prepare(select_cosignatures));
  query.bind(static_cast<std::int64_t>(size)).bind(static_cast<std::int64_t>(max_kt_cosignatures));
  std::vector<KtCosignature> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    out.push_back(KtCosignature{size, query.text_at(0), query.text_at(1), query.int64_at(2)});
  }
  return out;
}

}  // namespace bulwark::store::sql
