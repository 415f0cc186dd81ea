#include "store/pg_store.h"

#include <utility>

#include "store/pg/commit_barrier.h"
#include "store/pg/db.h"
#include "store/pg/migrations.h"
#include "store/sql/migrate.h"
#include "store/sql_store.h"

namespace bulwark::store {

namespace {

constexpr sql::Sql lift_lock_timeout{"migrate schema: no lock timeout", "SET lock_timeout = 0"};
constexpr sql::Sql lift_statement_timeout{"migrate schema: no statement timeout",
                                          "SET statement_timeout = 0"};
constexpr sql::Sql restore_lock_timeout{"restore lock timeout", "RESET lock_timeout"};
constexpr sql::Sql restore_statement_timeout{"restore statement timeout",
                                             "RESET statement_timeout"};

// Migrations run without the session's limits: a schema change may rebuild a large table, and
// waits for the migration lock while another node migrates. RESET returns to the values the
// session started with (PgOptions, or the operator's conninfo options).
Result<void> migrate_without_limits(pg::PgDb& db) {
  BULWARK_TRY(db.execute(lift_lock_timeout));
  BULWARK_TRY(db.execute(lift_statement_timeout));
  BULWARK_TRY(sql::migrate(db, pg::pg_migrations()));
  BULWARK_TRY(db.execute(restore_lock_timeout));
  return db.execute(restore_statement_timeout);
}

}  // namespace

Result<std::unique_ptr<Store>> open_pg_store(const std::string& conninfo, PgOptions options) {
  const pg::PgSessionLimits limits{options.lock_timeout, options.statement_timeout};
  // None for the barrier: it takes no lock, and with synchronous replication PostgreSQL answers
  // a COMMIT cancelled while it waits for the standby with a success (and a warning), so a
  // statement limit there could report as durable what is not.
  const pg::PgSessionLimits barrier_limits{std::chrono::milliseconds{0},
                                           std::chrono::milliseconds{0}};
  auto db = BULWARK_TRY(pg::PgDb::connect(conninfo, options.connect_timeout, limits));
  // The hook is set after migrating: fault loops count the store's statements, not the schema's.
  BULWARK_TRY(migrate_without_limits(*db));
  if (options.inject_fault) db->set_fault_hook(std::move(options.inject_fault));
  if (options.clock) db->set_clock(options.clock);
  // Opened before the first commit it is to prove (store/pg/commit_barrier.h). Shared: the
  // store thread notes commits, the sync thread syncs, and std::function must be copyable.
  std::shared_ptr<pg::CommitBarrier> barrier =
      BULWARK_TRY(pg::CommitBarrier::open(conninfo, options.connect_timeout, barrier_limits));
  if (options.clock) barrier->set_clock(options.clock);
  db->set_before_unsynced_commit([barrier] { barrier->note_commit(); });
  return make_sql_store(
      std::move(db), [barrier]() -> Result<void> { return barrier->sync(); },
      /*sync_failure_is_final=*/false);
}

}  // namespace bulwark::store
