// Versioned schema migrations of the PostgreSQL store (store/pg_store.h), run by the shared
// runner (store/sql/migrate.h).
//
// PostgreSQL joined at SQLite's version 10, so its first migration is version 10 and builds
// the schema SQLite has at that version (store/sqlite/migrations.cpp, versions 1-10) in one
// step; later versions follow SQLite's one for one (11: per-device queue positions, 12:
// leases). The translation: BLOB is BYTEA, INTEGER is BIGINT, x'' is '\x'::bytea, WITHOUT
// ROWID is dropped, TEXT compares bytewise (COLLATE "C", as SQLite's BINARY does, whatever the
// database's locale), the rowid ids the queries let the engine assign (INSERT without the id,
// RETURNING it) are identity columns, and SQLite's triggers are PL/pgSQL functions with the
// same effect.
#pragma once

#include <span>

#include "store/sql/migrate.h"

namespace bulwark::store::pg {

// This binary's PostgreSQL migrations, versions 10, 11, ... in order.
[[nodiscard]] std::span<const sql::Migration> pg_migrations();

}  // namespace bulwark::store::pg
