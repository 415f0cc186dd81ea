#include <algorithm>
#include <limits>
#include <string>

#include "store/lawful_store.h"
#include "store/limits.h"
#include "store/sql/lawful.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr std::int64_t max_sql_int = std::numeric_limits<std::int64_t>::max();

// Entries are numbered without gaps from 0, so the size is the largest index plus one; MAX is
// one index descent where COUNT(*) would scan the table.
constexpr Sql count_entries{"count disclosure log entries",
                            "SELECT COALESCE(MAX(idx) + 1, 0) FROM lawful_log"};
constexpr Sql insert_entry{
    "append disclosure log entry",
    "INSERT INTO lawful_log (idx, entry, leaf_hash, checkpoint) VALUES (?, ?, ?, ?)"};
constexpr Sql select_entries{
    "read disclosure log",
    "SELECT idx, entry, leaf_hash, checkpoint FROM lawful_log WHERE idx >= ? ORDER BY idx "
    "LIMIT ?"};
constexpr Sql select_leaf_hashes{"read disclosure log leaves",
                                 "SELECT leaf_hash FROM lawful_log ORDER BY idx"};
constexpr Sql count_other_witnesses{
    "count disclosure log cosignatures",
    "SELECT COUNT(*) FROM lawful_cosignatures WHERE size = ? AND witness <> ?"};
constexpr Sql upsert_cosignature{
    "store disclosure log cosignature",
    "INSERT INTO lawful_cosignatures (size, witness, signature_line, received_at_ms) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (size, witness) DO UPDATE SET "
    "signature_line = excluded.signature_line, received_at_ms = excluded.received_at_ms"};
// Witness names are ASCII key names, so byte order is name order. (PostgreSQL: COLLATE "C".)
constexpr Sql select_cosignatures{
    "read disclosure log cosignatures",
    "SELECT witness, signature_line, received_at_ms FROM lawful_cosignatures WHERE size = ? "
    "ORDER BY witness LIMIT ?"};
constexpr Sql insert_disclosure{
    "store lawful disclosure",
    "INSERT INTO lawful_disclosures (order_id, account_id, salt, log_index, "
    "non_disclosure_until_ms) VALUES (?, ?, ?, ?, ?)"};
// One range of lawful_disclosures_by_account, read backwards; the time filter is read from
// the index too.
constexpr Sql select_disclosures{
    "read lawful disclosures",
    "SELECT order_id, salt, log_index, non_disclosure_until_ms FROM lawful_disclosures WHERE "
    "account_id = ? AND non_disclosure_until_ms <= ? ORDER BY log_index DESC, order_id DESC "
    "LIMIT ?"};

constexpr Sql select_order_disclosures{
    "read an order's lawful disclosures",
    "SELECT account_id, salt, log_index, non_disclosure_until_ms FROM lawful_disclosures WHERE "
    "order_id = ? ORDER BY account_id LIMIT ?"};

Result<std::uint64_t> entry_count(Db& db) {
  auto query = BULWARK_TRY(db.prepare(count_entries));
  if (!BULWARK_TRY(query.step())) return fail(Errc::storage, "count disclosure log: no count");
  return u64_at(query, 0, count_entries.op);
}

// The caller holds a savepoint and has checked the sizes.
Result<void> append_in_savepoint(Db& db, const LawfulLogEntry& entry) {
  BULWARK_TRY(db.lock_for_append("lawful_log"));  // entries are numbered MAX + 1
  const std::uint64_t stored = BULWARK_TRY(entry_count(db));
  if (entry.index != stored) {
    return fail(Errc::conflict, "append disclosure log entry: entry " +
                                    std::to_string(entry.index) + " is not the next (" +
                                    std::to_string(stored) + ")");
  }
  auto statement = BULWARK_TRY(db.prepare(insert_entry));
  statement.bind(static_cast<std::int64_t>(entry.index))
      .bind(entry.entry)
      .bind(entry.leaf_hash)
      .bind(entry.checkpoint);
  return statement.finish();
}

Result<void> add_cosignature_in_savepoint(Db& db, const KtCosignature& cosignature) {
  auto count = BULWARK_TRY(db.prepare(count_other_witnesses));
  count.bind(static_cast<std::int64_t>(cosignature.size)).bind(cosignature.witness);
  if (!BULWARK_TRY(count.step())) {
    return fail(Errc::storage, "count disclosure log cosignatures: no count");
  }
  if (count.int64_at(0) >= static_cast<std::int64_t>(max_kt_cosignatures)) {
    return fail(Errc::conflict,
                "store disclosure log cosignature: too many witnesses for this size");
  }
  auto statement = BULWARK_TRY(db.prepare(upsert_cosignature));
  statement.bind(static_cast<std::int64_t>(cosignature.size))
      .bind(cosignature.witness)
      .bind(cosignature.signature_line)
      .bind(cosignature.received_at_ms);
  return statement.finish();
}

Result<void> check_disclosures(std::span<const LawfulDisclosure> disclosures) {
  for (const LawfulDisclosure& disclosure : disclosures) {
    if (disclosure.salt.size() != lawful_salt_bytes) {
      return fail(Errc::invalid_argument, "store lawful disclosure: a salt is 32 bytes");
    }
    if (disclosure.log_index > static_cast<std::uint64_t>(max_sql_int)) {
      return fail(Errc::invalid_argument, "store lawful disclosure: log index out of range");
    }
    // No order has an id beyond what SQL holds.
    if (disclosure.order > static_cast<std::uint64_t>(max_sql_int)) {
      return fail(Errc::not_found, "store lawful disclosure: no such order");
    }
  }
  return {};
}

Result<void> add_disclosures_in_savepoint(Db& db, std::span<const LawfulDisclosure> disclosures) {
  for (const LawfulDisclosure& disclosure : disclosures) {
    auto statement = BULWARK_TRY(db.prepare(insert_disclosure));
    statement.bind(static_cast<std::int64_t>(disclosure.order));
    bind_id(statement, disclosure.account)
        .bind(disclosure.salt)
        .bind(static_cast<std::int64_t>(disclosure.log_index))
        .bind(disclosure.non_disclosure_until_ms);
    BULWARK_TRY(statement.finish());
  }
  return {};
}

}  // namespace

Result<void> append_lawful_log(Db& db, const LawfulLogEntry& entry) {
  if (entry.leaf_hash.size() != lawful_hash_bytes) {
    return fail(Errc::invalid_argument, "append disclosure log entry: a leaf hash is 32 bytes");
  }
  return in_savepoint(db, [&] { return append_in_savepoint(db, entry); });
}

Result<std::uint64_t> lawful_log_size(Db& db) { return entry_count(db); }

Result<std::vector<LawfulLogEntry>> lawful_log(Db& db, std::uint64_t from, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_lawful_page);
  if (page == 0 || from > static_cast<std::uint64_t>(max_sql_int)) {
    return std::vector<LawfulLogEntry>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_entries));
  query.bind(static_cast<std::int64_t>(from)).bind(static_cast<std::int64_t>(page));
  std::vector<LawfulLogEntry> out;
  while (BULWARK_TRY(query.step())) {
    LawfulLogEntry entry;
    entry.index = BULWARK_TRY(u64_at(query, 0, select_entries.op));
    entry.entry = query.blob_at(1);
    entry.leaf_hash = query.blob_at(2);
    entry.checkpoint = query.text_at(3);
    out.push_back(std::move(entry));
  }
  return out;
}

// Every leaf, unpaged: rebuilding the tree needs them all, and at 32 bytes each a log of a
// million entries is 32 MB, which a log of court orders does not approach.
Result<std::vector<Bytes>> lawful_leaf_hashes(Db& db) {
  auto query = BULWARK_TRY(db.prepare(select_leaf_hashes));
  std::vector<Bytes> out;
  while (BULWARK_TRY(query.step())) {
    Bytes leaf = query.blob_at(0);
    if (leaf.size() != lawful_hash_bytes) {
      return fail(Errc::storage, std::string(select_leaf_hashes.op) + ": corrupt leaf hash");
    }
    out.push_back(std::move(leaf));
  }
  return out;
}

Result<void> add_lawful_cosignature(Db& db, const KtCosignature& cosignature) {
  if (cosignature.witness.empty()) {
    return fail(Errc::invalid_argument, "store disclosure log cosignature: empty witness name");
  }
  if (cosignature.size > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::invalid_argument, "store disclosure log cosignature: size out of range");
  }
  return in_savepoint(db, [&] { return add_cosignature_in_savepoint(db, cosignature); });
}

Result<std::vector<KtCosignature>> lawful_cosignatures(Db& db, std::uint64_t size) {
  if (size > static_cast<std::uint64_t>(max_sql_int)) return std::vector<KtCosignature>{};
  auto query = BULWARK_TRY(db.prepare(select_cosignatures));
  query.bind(static_cast<std::int64_t>(size)).bind(static_cast<std::int64_t>(max_kt_cosignatures));
  std::vector<KtCosignature> out;
  while (BULWARK_TRY(query.step())) {
    out.push_back(KtCosignature{size, query.text_at(0), query.text_at(1), query.int64_at(2)});
  }
  return out;
}

Result<void> add_lawful_disclosures(Db& db, std::span<const LawfulDisclosure> disclosures) {
  BULWARK_TRY(check_disclosures(disclosures));
  if (disclosures.empty()) return {};
  return in_savepoint(db, [&] { return add_disclosures_in_savepoint(db, disclosures); });
}

Result<std::vector<LawfulDisclosure>> lawful_disclosures_for(Db& db, const AccountId& account,
                                                             std::int64_t now_ms,
                                                             std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_lawful_page);
  if (page == 0) return std::vector<LawfulDisclosure>{};
  auto query = BULWARK_TRY(db.prepare(select_disclosures));
  bind_id(query, account).bind(now_ms).bind(static_cast<std::int64_t>(page));
  std::vector<LawfulDisclosure> out;
  while (BULWARK_TRY(query.step())) {
    LawfulDisclosure disclosure;
    disclosure.order = BULWARK_TRY(u64_at(query, 0, select_disclosures.op));
    disclosure.account = account;
    disclosure.salt = query.blob_at(1);
    disclosure.log_index = BULWARK_TRY(u64_at(query, 2, select_disclosures.op));
    disclosure.non_disclosure_until_ms = query.int64_at(3);
    out.push_back(std::move(disclosure));
  }
  return out;
}

Result<std::vector<LawfulDisclosure>> lawful_order_disclosures(Db& db, std::uint64_t order) {
  std::vector<LawfulDisclosure> out;
  if (order > static_cast<std::uint64_t>(INT64_MAX)) return out;
  auto query = BULWARK_TRY(db.prepare(select_order_disclosures));
  query.bind(static_cast<std::int64_t>(order))
      .bind(static_cast<std::int64_t>(max_lawful_disclosures_per_order));
  while (BULWARK_TRY(query.step())) {
    LawfulDisclosure disclosure;
    disclosure.order = order;
    disclosure.account = BULWARK_TRY(account_id_at(query, 0));
    disclosure.salt = query.blob_at(1);
    disclosure.log_index = BULWARK_TRY(u64_at(query, 2, select_order_disclosures.op));
    disclosure.non_disclosure_until_ms = query.int64_at(3);
    out.push_back(std::move(disclosure));
  }
  return out;
}

}  // namespace bulwark::store::sql
