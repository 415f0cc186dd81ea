// PgDb: one libpq connection to PostgreSQL as the store's SQL layer (store/sql/db.h).
//
// Statements: a query's `?`s become $1..$n once per text (store/pg/placeholders.h). It is
// prepared on the server under a generated name at its first execution, when the types of its
// bound values are known, once per (text, parameter types): values travel in binary with
// explicit types (int8, text, bytea; a NULL's type is left to the server), and results come back
// in binary. Each step() of a fresh execution runs it to completion and keeps the rows; later
// steps walk them.
//
// Transactions: BEGIN / COMMIT / ROLLBACK; savepoints are all named bulwark_sp (PostgreSQL
// names the newest one of a name). An error inside a transaction aborts it up to the
// enclosing savepoint, which the store's per-method and per-job savepoints match. A COMMIT the
// server answers with ROLLBACK (an aborted transaction) is an error, never success.
// begin_transaction_unsynced() sets synchronous_commit = off for its transaction only: its
// COMMIT returns once the commit record is in the WAL buffers (visible to every connection at
// once), and it is durable once a later synced commit has flushed the WAL past it (the store's
// commit barrier, store/pg/commit_barrier.h). Every other transaction commits as the server is
// configured (normally synced). A batch commits each job as its own transaction
// (transaction_per_job()), so no job holds its row locks while later jobs run.
//
// Connection loss: every failure on a broken connection is Errc::unavailable, a COMMIT's
// included (its outcome is unknown). The next begin_*() or prepare() outside a transaction
// resets the connection once (prepared statements died with the session and are prepared
// again); inside a transaction everything keeps failing until it is rolled back. A BEGIN, or a
// SELECT outside any transaction, that finds the connection dead (the server restarted while
// it was idle) changed nothing, so it is sent again once on a new connection.
//
// lock_for_append(log) takes a transaction-scoped advisory lock whose 64-bit key is derived
// from the log's name (FNV-1a), so appends to one log serialise across every connection.
//
// Not thread-safe: one PgDb is used by one thread at a time (store/store.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "store/pg/placeholders.h"
#include "store/pg/reconnect_backoff.h"
#include "store/sql/db.h"

struct pg_conn;
struct pg_result;

namespace bulwark::store::pg {

class PgStatement;

// The server-side state of one query text: its numbered form, the names it is prepared under
// per parameter-type list, and the executions (one per nested use) that run it.
struct PreparedText {
  NumberedSql numbered;
  std::map<std::vector<unsigned int>, std::string> names;
  std::vector<std::unique_ptr<PgStatement>> executions;
};

struct PgResultDeleter {
  void operator()(pg_result* result) const noexcept;
};
using PgResult = std::unique_ptr<pg_result, PgResultDeleter>;

// How long a statement of this session may wait for a lock, and run, before PostgreSQL
// cancels it (Errc::unavailable, retryable): the one store thread must never hang behind another
// node's lock or a runaway query. Zero: no limit. Settings in the operator's conninfo `options`
// win over these.
struct PgSessionLimits {
  std::chrono::milliseconds lock_timeout{5'000};
  std::chrono::milliseconds statement_timeout{30'000};
};

class PgDb final : public sql::Db {
 public:
  // Connects with `conninfo` (a libpq connection string or URI). A wrong password or an
  // unreachable server is Errc::unavailable naming host and port, never the password. The
  // limits are session settings given at connection time, so a reconnect keeps them.
  [[nodiscard]] static Result<std::unique_ptr<PgDb>> connect(const std::string& conninfo,
                                                             std::chrono::seconds connect_timeout,
                                                             PgSessionLimits limits = {});

  class Key {
    friend class PgDb;
    Key() = default;
  };
  PgDb(Key /*key*/, pg_conn* conn, std::string endpoint) noexcept;
  ~PgDb() override;

  [[nodiscard]] Result<sql::Statement> prepare(sql::Sql sql) override;
  // Runs `sql` (no parameters; several statements allowed) through the simple protocol.
  [[nodiscard]] Result<void> execute(sql::Sql sql) override;

  [[nodiscard]] bool in_transaction() const noexcept override;
  [[nodiscard]] std::int64_t changes() const noexcept override { return changes_; }

  [[nodiscard]] Result<void> begin_transaction() override;
  [[nodiscard]] Result<void> commit_transaction() override;
  [[nodiscard]] Result<void> begin_transaction_unsynced() override;
  void rollback_transaction() noexcept override;
  [[nodiscard]] bool transaction_per_job() const noexcept override { return true; }

  [[nodiscard]] Result<void> begin_savepoint() override;
  [[nodiscard]] Result<void> release_savepoint() override;
  void rollback_savepoint() noexcept override;
  [[nodiscard]] bool transaction_damaged() const noexcept override;

  [[nodiscard]] Result<void> lock_for_append(std::string_view log) override;

  // Test hook (PgOptions::inject_fault): asked before every statement step except the
  // rollbacks that undo a failure; true fails that step with Errc::storage.
  void set_fault_hook(std::function<bool()> hook) { fault_hook_ = std::move(hook); }
  // Test hook: the clock the reconnection backoff (pg/reconnect_backoff.h) reads.
  void set_clock(std::function<ReconnectBackoff::Clock::time_point()> clock) {
    clock_ = std::move(clock);
  }
  // Called just before the COMMIT of every begin_transaction_unsynced() transaction is sent
  // (the commit barrier notes which of its sessions the commit must outlive).
  void set_before_unsynced_commit(std::function<void()> hook) {
    before_unsynced_commit_ = std::move(hook);
  }

  // Whether the session is still open, as far as libpq knows (a server that went away is
  // noticed at the next command).
  [[nodiscard]] bool connected() const noexcept { return connection_ok(); }
  // Opens a new session if the last one ended; Errc::unavailable if that fails. Outside a
  // transaction only.
  [[nodiscard]] Result<void> reconnect() { return ensure_connected(); }

  // "host:port" of the server, for messages.
  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }

  // Used by PgStatement: executes `text` (prepared first if needed) with binary values.
  [[nodiscard]] Result<PgResult> execute_prepared(PreparedText& text, std::string_view op,
                                                  const std::vector<unsigned int>& types,
                                                  const std::vector<const char*>& values,
                                                  const std::vector<int>& lengths);
  [[nodiscard]] bool inject_fault() const { return fault_hook_ && fault_hook_(); }

 private:
  // Outside a transaction, a broken connection is reset once; Errc::unavailable if it stays
  // broken, or at once while the reconnection backoff (pg/reconnect_backoff.h) says to wait.
  [[nodiscard]] Result<void> ensure_connected();
  enum class Sync { on, off };
  // BEGIN (with synchronous_commit off for the transaction when `sync` is off), on a
  // connection reset first if it was found broken.
  [[nodiscard]] Result<void> begin(Sync sync);
  [[nodiscard]] Result<PgResult> execute_once(PreparedText& text, std::string_view op,
                                              const std::vector<unsigned int>& types,
                                              const std::vector<const char*>& values,
                                              const std::vector<int>& lengths);
  // A transaction-control command, through the fault hook; `expected_tag` is the command tag
  // success must carry (a COMMIT of an aborted transaction answers ROLLBACK).
  [[nodiscard]] Result<void> control(sql::Sql sql, std::string_view expected_tag);
  [[nodiscard]] Result<void> commit(std::string_view op);
  bool exec_unfailing(const char* sql) noexcept;
  [[nodiscard]] bool connection_ok() const noexcept;
  [[nodiscard]] Result<std::string> prepared_name(PreparedText& text, std::string_view op,
                                                  const std::vector<unsigned int>& types);

  pg_conn* conn_;
  std::string endpoint_;
  // Node-based: a PreparedText's address is stable while its executions point at it.
  std::unordered_map<std::string, PreparedText> cache_;
  std::uint64_t next_name_ = 0;
  std::function<bool()> fault_hook_;
  std::function<void()> before_unsynced_commit_;
  std::function<ReconnectBackoff::Clock::time_point()> clock_ = ReconnectBackoff::Clock::now;
  ReconnectBackoff backoff_;
  std::int64_t changes_ = 0;
  int savepoint_depth_ = 0;
  bool explicit_transaction_ = false;
  bool unsynced_transaction_ = false;
  bool savepoint_owns_transaction_ = false;
  bool rollback_failed_ = false;
};

// The advisory-lock key of a log name: FNV-1a over "bulwark log " + name, as a signed 64-bit.
[[nodiscard]] std::int64_t append_lock_key(std::string_view log) noexcept;

}  // namespace bulwark::store::pg
