// The PostgreSQL backend of the server store (store/store.h), for several server nodes sharing
// one database (issue 10). The queries and the Store over them are the SQLite backend's
// (store/sql_store.h); the connection is store/pg/db.h and the schema store/pg/migrations.h.
//
// Durability: every commit is synced by the server (synchronous_commit as configured there,
// normally on); run_batch_unsynced commits the same way and sync_commits() has nothing left to
// do. A lost connection makes the method that saw it fail with Errc::unavailable (for a commit:
// its outcome is unknown); the next method reconnects.
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
  // Fault injection for tests, as SqliteOptions::inject_fault: asked before every statement
  // step except the rollbacks that undo a failure; true fails that step with Errc::storage.
  std::function<bool()> inject_fault;
};

// Connects with `conninfo` (libpq's "host=... port=... dbname=... user=... password=..." or a
// postgresql:// URI), migrates the schema and returns the store. A server that cannot be
// reached or refuses the login is Errc::unavailable, naming host and port but never the
// password; a schema newer than this binary is Errc::storage.
[[nodiscard]] Result<std::unique_ptr<Store>> open_pg_store(const std::string& conninfo,
                                                           PgOptions options = {});

}  // namespace bulwark::store
