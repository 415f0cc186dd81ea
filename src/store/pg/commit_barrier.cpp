#include "store/pg/commit_barrier.h"

#include <algorithm>
#include <utility>

#include "store/pg/db.h"

namespace bulwark::store::pg {
namespace {

// A COMMIT waits for the WAL flush only if its transaction wrote WAL before the commit record
// (PostgreSQL's RecordTransactionCommit): an id alone (txid_current()) is not enough, measured:
// the flush position did not move. A transactional logical message writes one WAL record, with
// no table to own and no row for nodes to contend on; it needs no wal_level = logical, and
// PUBLIC may call it. SET LOCAL: synced whatever the session or server default says.
constexpr sql::Sql barrier_sql{
    "commit barrier",
    "BEGIN; SET LOCAL synchronous_commit = on; "
    "SELECT pg_logical_emit_message(true, 'bulwark commit barrier', ''); "
    "COMMIT"};

}  // namespace

Result<std::unique_ptr<CommitBarrier>> CommitBarrier::open(const std::string& conninfo,
                                                           std::chrono::seconds connect_timeout,
                                                           PgSessionLimits limits) {
  auto db = BULWARK_TRY(PgDb::connect(conninfo, connect_timeout, limits));
  return std::make_unique<CommitBarrier>(Key{}, std::move(db));
}

CommitBarrier::CommitBarrier(Key /*key*/, std::unique_ptr<PgDb> db) noexcept : db_(std::move(db)) {}

CommitBarrier::~CommitBarrier() = default;

void CommitBarrier::note_commit() noexcept {
  const std::lock_guard lock(mutex_);
  oldest_noted_ = std::min(oldest_noted_, session_);
}

Result<void> CommitBarrier::open_session() {
  if (db_->connected()) return {};
  // The session ended: a new one may be on a server that lost the commits the old one was to
  // prove. Commits sent from now on are proven by the new one.
  BULWARK_TRY(db_->reconnect());
  const std::lock_guard lock(mutex_);
  ++session_;
  return {};
}

Result<void> CommitBarrier::sync() {
  std::uint64_t oldest = no_commit;
  {
    const std::lock_guard lock(mutex_);
    oldest = std::exchange(oldest_noted_, no_commit);
  }
  BULWARK_TRY(open_session());
  const std::uint64_t session = [&] {
    const std::lock_guard lock(mutex_);
    return session_;
  }();
  auto flushed = db_->execute(barrier_sql);
  if (!flushed) {
    // A transaction left open by a failure halfway must not swallow the next barrier.
    db_->rollback_transaction();
    // A new session at once if it can be had (and the backoff allows): the commits sent from
    // then on are provable.
    static_cast<void>(open_session());
    return fail(Errc::unavailable, "commit barrier: " + flushed.error().context);
  }
  if (oldest != no_commit && oldest < session) {
    return fail(Errc::unavailable,
                "commit barrier: the connection to PostgreSQL at " + db_->endpoint() +
                    " was lost since these commits, which may not have survived");
  }
  return {};
}

}  // namespace bulwark::store::pg
