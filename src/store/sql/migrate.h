// The versioned schema migrations every SQL backend runs (store/sqlite/migrations.h,
// store/pg/migrations.h).
//
// The schema_version table lists every version applied; the database's version is the largest.
// Opening a database applies, in order and in one transaction, every migration newer than that
// version, so a failed migration leaves the database exactly as it was. A database whose
// version is newer than the binary knows is refused, never guessed at.
//
// Migrations are append-only: a released migration is never edited, a change is a new one.
// Backends share version numbers: a backend added later starts with one migration that builds
// the schema as the others had it at that version, then follows them one for one.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

struct Migration {
  std::int64_t version = 0;
  std::span<const std::string_view> statements;  // one SQL statement each, no bound values
};

// The database's schema version; 0 for a database no migration has touched. Requires the
// schema_version table (migrate() creates it).
[[nodiscard]] Result<std::int64_t> schema_version(Db& db);

// Brings the database up to the last of `migrations`. Requires versions n, n + 1, ... (n >= 1)
// and no transaction open. Errc::storage when the database is newer than `migrations` or a
// statement fails; then nothing was changed.
[[nodiscard]] Result<void> migrate(Db& db, std::span<const Migration> migrations);

}  // namespace bulwark::store::sql
