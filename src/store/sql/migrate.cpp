#include "store/sql/migrate.h"

#include <string>

namespace bulwark::store::sql {
namespace {

constexpr Sql create_version_table{
    "create schema_version",
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY)"};
constexpr Sql select_version{"read schema version", "SELECT MAX(version) FROM schema_version"};
constexpr Sql insert_version{"record schema version",
                             "INSERT INTO schema_version (version) VALUES (?)"};

void check_order(std::span<const Migration> list) {
  std::int64_t previous = list.empty() ? 0 : list.front().version - 1;
  for (const Migration& migration : list) {
    if (migration.version < 1 || migration.version != previous + 1) {
      contract_violation("store::sql::migrate: versions must run n, n + 1, n + 2, ... from n >= 1");
    }
    previous = migration.version;
  }
}

Result<void> apply(Db& db, const Migration& migration) {
  for (std::string_view statement : migration.statements) {
    BULWARK_TRY(db.execute(Sql{"migrate schema", statement}));
  }
  auto record = BULWARK_TRY(db.prepare(insert_version));
  record.bind(migration.version);
  return record.finish();
}

Result<void> apply_pending(Db& db, std::span<const Migration> list) {
  BULWARK_TRY(db.execute(create_version_table));
  const std::int64_t current = BULWARK_TRY(schema_version(db));
  const std::int64_t latest = list.empty() ? 0 : list.back().version;
  if (current > latest) {
    return fail(Errc::storage, "database schema version " + std::to_string(current) +
                                   " is newer than this binary supports (" +
                                   std::to_string(latest) + "): refusing to open it");
  }
  for (const Migration& migration : list) {
    if (migration.version > current) BULWARK_TRY(apply(db, migration));
  }
  return {};
}

Result<void> lock_and_apply(Db& db, std::span<const Migration> list) {
  BULWARK_TRY(db.lock_for_append("schema_version"));
  return apply_pending(db, list);
}

}  // namespace

Result<std::int64_t> schema_version(Db& db) {
  auto query = BULWARK_TRY(db.prepare(select_version));
  const bool row = BULWARK_TRY(query.step());
  // MAX over no rows is NULL: a database no migration has touched.
  if (!row || query.is_null(0)) return std::int64_t{0};
  return query.int64_at(0);
}

Result<void> migrate(Db& db, std::span<const Migration> list) {
  check_order(list);
  // The version check runs inside the write transaction, under the append lock, so two
  // processes opening one database cannot both apply the same migration.
  BULWARK_TRY(db.begin_transaction());
  if (auto applied = lock_and_apply(db, list); !applied) {
    db.rollback_transaction();
    return applied;
  }
  if (auto committed = db.commit_transaction(); !committed) {
    db.rollback_transaction();
    return committed;
  }
  return {};
}

}  // namespace bulwark::store::sql
