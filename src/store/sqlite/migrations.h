// Versioned schema migrations of the SQLite store (store/sqlite_store.h).
//
// The schema_version table lists every version applied; the database's version is the largest.
// Opening a database applies, in order and in one transaction, every migration newer than that
// version, so a failed migration leaves the database exactly as it was. A database whose
// version is newer than the binary knows is refused, never guessed at.
//
// Migrations are append-only: a released migration is never edited, a change is a new one.
// The SQL sticks to what PostgreSQL also accepts (plain CREATE TABLE / INDEX with INTEGER,
// BIGINT, TEXT and BLOB, which a PostgreSQL backend spells BYTEA), so its migrations can follow
// these one for one.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sqlite/db.h"

namespace bulwark::store::sqlite {

struct Migration {
  std::int64_t version = 0;
  std::span<const std::string_view> statements;  // one SQL statement each, no bound values
};

// This binary's migrations, versions 1, 2, ... in order.
[[nodiscard]] std::span<const Migration> sqlite_migrations();

// The database's schema version; 0 for a database no migration has touched. Requires the
// schema_version table (migrate() creates it).
[[nodiscard]] Result<std::int64_t> schema_version(Db& db);

// Brings the database up to the last of `migrations`. Requires versions strictly increasing
// from 1 and no transaction open. Errc::storage when the database is newer than `migrations`
// or a statement fails; then nothing was changed.
[[nodiscard]] Result<void> migrate(Db& db, std::span<const Migration> migrations);

}  // namespace bulwark::store::sqlite
