// Versioned schema migrations of the SQLite store (store/sqlite_store.h).
//
// The runner and its rules are store/sql/migrate.h. The SQL sticks to what PostgreSQL also accepts
// (plain CREATE TABLE / INDEX with INTEGER, BIGINT, TEXT and BLOB, which a PostgreSQL backend
// spells BYTEA), so its migrations can follow these one for one.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sql/migrate.h"

namespace bulwark::store::sqlite {

using sql::Migration;

// This binary's migrations, versions 1, 2, ... in order (run by sql::migrate).
[[nodiscard]] std::span<const Migration> sqlite_migrations();

}  // namespace bulwark::store::sqlite
