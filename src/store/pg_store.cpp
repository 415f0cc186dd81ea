#include "store/pg_store.h"

#include <utility>

#include "store/pg/db.h"
#include "store/pg/migrations.h"
#include "store/sql/migrate.h"
#include "store/sql_store.h"

namespace bulwark::store {

Result<std::unique_ptr<Store>> open_pg_store(const std::string& conninfo, PgOptions options) {
  auto db = BULWARK_TRY(pg::PgDb::connect(conninfo, options.connect_timeout));
  // The hook is set after migrating: fault loops count the store's statements, not the schema's.
  BULWARK_TRY(sql::migrate(*db, pg::pg_migrations()));
  if (options.inject_fault) db->set_fault_hook(std::move(options.inject_fault));
  // Commits are synced by the server: nothing is left for sync_commits to flush.
  return make_sql_store(std::move(db), []() -> Result<void> { return {}; });
}

}  // namespace bulwark::store
