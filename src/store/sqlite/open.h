// Opening the SQLite store's database: the file (owner-only), the connection settings that
// make writes durable, and the schema migrations (store/sqlite_store.h).
#pragma once

#include <filesystem>
#include <memory>

#include "common/result.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"

namespace bulwark::store::sqlite {

// The connection is in WAL mode, synchronous=FULL, with foreign keys on and the latest schema.
[[nodiscard]] Result<std::unique_ptr<Db>> open_database(const std::filesystem::path& file,
                                                        SqliteOptions options);

}  // namespace bulwark::store::sqlite
