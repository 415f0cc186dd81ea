#include "store/pg_store.h"

#include <utility>

#include "store/pg/commit_barrier.h"
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
  // Opened before the first commit it is to prove (store/pg/commit_barrier.h). Shared: the
  // store thread notes commits, the sync thread syncs, and std::function must be copyable.
  std::shared_ptr<pg::CommitBarrier> barrier =
      BULWARK_TRY(pg::CommitBarrier::open(conninfo, options.connect_timeout));
  db->set_before_unsynced_commit([barrier] { barrier->note_commit(); });
  return make_sql_store(
      std::move(db), [barrier]() -> Result<void> { return barrier->sync(); },
      /*sync_failure_is_final=*/false);
}

}  // namespace bulwark::store
