// The Store (store/store.h) over any SQL backend's Db (store/sql/db.h): every method is one
// of the queries in store/sql/*.h, run inside a savepoint where it writes more than once, and
// run_batch is one transaction with one savepoint per job (a failed job is undone alone), or,
// when the Db says so (sql::Db::transaction_per_job), one transaction per job.
//
// The backends: SQLite (store/sqlite_store.h) and PostgreSQL (store/pg_store.h).
#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "store/sql/db.h"
#include "store/hot/hot_queues.h"
#include "store/store.h"

namespace bulwark::store {

// `sync_commits` makes every commit of run_batch_unsynced so far durable (Store::sync_commits);
// it may run on another thread than the Db's. `sync_failure_is_final` is
// Store::sync_failure_is_final(). `hot_queues`, opened over `db`, keeps the queues in memory
// (store/hot/hot_queues.h); without, they are the envelopes table's alone.
[[nodiscard]] std::unique_ptr<Store> make_sql_store(
    std::unique_ptr<sql::Db> db, std::function<Result<void>()> sync_commits,
    bool sync_failure_is_final = true, std::unique_ptr<hot::HotQueues> hot_queues = nullptr);

}  // namespace bulwark::store
