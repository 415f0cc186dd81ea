// The PostgreSQL backend of the server store (store/store.h), for several server nodes sharing
// one database (issue 10). The queries and the Store over them are the SQLite backend's
// (store/sql_store.h); the connection is store/pg/db.h and the schema store/pg/migrations.h.
//
// Durability: every method and run_batch commit as the server is configured (synchronous_commit,
// normally on). run_batch_unsynced commits each job with synchronous_commit = off, and
// sync_commits() makes them durable with one WAL flush, on a second connection the store opens
// for it (store/pg/commit_barrier.h): it may run on another thread than the other methods. A
// failed sync_commits() is Errc::unavailable and not final (sync_failure_is_final() is false):
// the next one that succeeds proves the commits made since. Batches commit each job on its own
// (sql::Db::transaction_per_job), so nodes sharing the database do not hold each other's row
// locks for a whole batch; a deadlock or serialization failure that still happens is
// Errc::unavailable (retryable). A lost connection makes the method that saw it fail with
// Errc::unavailable (for a commit: its outcome is unknown); the next method reconnects.
//
// Semantics beyond store.h are the SQLite backend's (store/sqlite_store.h), checked by the same
// conformance suite (tests/store/).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace bulwark::store {

struct PgOptions {
  // How long connecting (and reconnecting) may take before Errc::unavailable.
  std::chrono::seconds connect_timeout{10};
  // How long a statement may wait for a lock, and run (pg::PgSessionLimits): beyond them it
  // fails with Errc::unavailable instead of holding up the store thread. Migrating the schema
  // at start is exempt (it may rebuild a large table, behind another node's migration).
  std::chrono::milliseconds lock_timeout{5'000};
  std::chrono::milliseconds statement_timeout{30'000};
  // Fault injection for tests, as SqliteOptions::inject_fault: asked before every statement
  // step except the rollbacks that undo a failure; true fails that step with Errc::storage.
  std::function<bool()> inject_fault;
  // For tests: the clock the reconnection backoff of the store's sessions reads (its own and
  // its commit barrier's; pg/reconnect_backoff.h); the steady clock when empty.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// Connects with `conninfo` (libpq's "host=... port=... dbname=... user=... password=..." or a
// postgresql:// URI), migrates the schema and returns the store. A server that cannot be
// reached or refuses the login is Errc::unavailable, naming host and port but never the
// password; a schema newer than this binary is Errc::storage.
[[nodiscard]] Result<std::unique_ptr<Store>> open_pg_store(const std::string& conninfo,
                                                           PgOptions options = {});

}  // namespace bulwark::store
