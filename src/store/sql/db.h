// Db and Statement: the SQL layer every store backend provides (SQLite: store/sqlite/db.h,
// PostgreSQL: store/pg/db.h), and that the store's queries (store/sql/*.h) are written against
// once. A query is a constant Sql whose text both engines accept; its values are always bound
// parameters, written `?` (a backend that numbers its parameters rewrites them when it
// prepares), never spliced into the text.
//
// Error mapping, the same for every backend: a UNIQUE or PRIMARY KEY violation is
// Errc::conflict, a FOREIGN KEY violation is Errc::not_found (the row it points at does not
// exist), a lost connection or an unknown commit outcome Errc::unavailable, anything else
// Errc::storage. The context is the operation's name and the engine's message: never a bound
// value.
//
// Not thread-safe: one Db is used by one thread at a time (store/store.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::store::sql {

// A constant SQL statement and the name its errors are reported under. `op` must outlive every
// Statement prepared from it, and `text` must live, unchanged, as long as the Db (string
// literals do both): a backend may find its prepared statement by where the text lives.
struct Sql {
  std::string_view op;
  std::string_view text;
};

// One backend's execution of a prepared statement, driven through Statement. Parameters are
// bound in order; the first bind failure is reported by the next step().
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void bind(std::int64_t value) = 0;
  virtual void bind(std::string_view text) = 0;
  // An empty blob is a value, never SQL NULL.
  virtual void bind(ByteView blob) = 0;
  virtual void bind_null() = 0;
  // True when a row is ready to read, false when the statement is done.
  [[nodiscard]] virtual Result<bool> step() = 0;
  [[nodiscard]] virtual bool is_null(int column) const = 0;
  [[nodiscard]] virtual std::int64_t int64_at(int column) const = 0;
  [[nodiscard]] virtual std::string text_at(int column) const = 0;
  [[nodiscard]] virtual Bytes blob_at(int column) const = 0;
  // The Statement is done with this execution: end it (no read or write stays pending) and
  // make the prepared statement reusable, or free it if it was prepared for this one use.
  virtual void release() noexcept = 0;
};

// One execution of a prepared statement: a handle that releases it when it goes out of scope.
class Statement {
 public:
  Statement(StatementImpl& impl, std::string_view op) noexcept : impl_(&impl), op_(op) {}
  Statement(Statement&& other) noexcept
      : impl_(std::exchange(other.impl_, nullptr)), op_(other.op_) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (impl_ != nullptr) impl_->release();
  }

  Statement& bind(std::int64_t value) {
    impl_->bind(value);
    return *this;
  }
  Statement& bind(std::string_view text) {
    impl_->bind(text);
    return *this;
  }
  Statement& bind(ByteView blob) {
    impl_->bind(blob);
    return *this;
  }
  Statement& bind_null() {
    impl_->bind_null();
    return *this;
  }

  // True when a row is ready to read, false when the statement is done.
  [[nodiscard]] Result<bool> step() { return impl_->step(); }
  // Steps until done, ignoring rows (RETURNING rows already read, or none expected).
  [[nodiscard]] Result<void> finish();

  [[nodiscard]] bool is_null(int column) const { return impl_->is_null(column); }
  [[nodiscard]] std::int64_t int64_at(int column) const { return impl_->int64_at(column); }
  // Requires the value to fit 32 bits unsigned; anything else is a corrupt row.
  [[nodiscard]] Result<std::uint32_t> u32_at(int column) const;
  [[nodiscard]] std::string text_at(int column) const { return impl_->text_at(column); }
  [[nodiscard]] Bytes blob_at(int column) const { return impl_->blob_at(column); }
  // A fixed-size blob (an id); another size is a corrupt row.
  template <std::size_t N>
  [[nodiscard]] Result<std::array<std::byte, N>> array_at(int column) const {
    const Bytes blob = blob_at(column);
    if (blob.size() != N) return fail(Errc::storage, std::string(op_) + ": corrupt id column");
    std::array<std::byte, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = blob[i];
    return out;
  }

 private:
  StatementImpl* impl_;
  std::string_view op_;
};

// State kept outside the database in step with its transactions (store/hot/hot_queues.h): told
// where each transaction and savepoint begins and ends, so that it can undo what a rollback
// undoes, and given the last word before each commit. A backend that supports one calls it from
// its transaction and savepoint methods; the outermost savepoint of a transaction of its own
// counts as a savepoint too.
class TransactionObserver {
 public:
  virtual ~TransactionObserver() = default;
  // Inside the transaction, just before COMMIT: may run statements. A failure is the commit's.
  [[nodiscard]] virtual Result<void> before_commit() = 0;
  virtual void committed() noexcept = 0;
  // The whole transaction was rolled back.
  virtual void rolled_back() noexcept = 0;
  virtual void savepoint_begun() noexcept = 0;
  virtual void savepoint_released() noexcept = 0;
  virtual void savepoint_rolled_back() noexcept = 0;
};

// One connection to the database, with its prepared-statement cache and savepoints.
class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  virtual ~Db() = default;

  // A cached prepared statement for `sql`. If the cached one is already executing (a nested
  // use), a fresh one is prepared for this execution.
  [[nodiscard]] virtual Result<Statement> prepare(Sql sql) = 0;
  // Prepares, runs to completion and discards `sql` (schema changes, transaction control).
  [[nodiscard]] virtual Result<void> execute(Sql sql);

  [[nodiscard]] virtual bool in_transaction() const noexcept = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] virtual std::int64_t changes() const noexcept = 0;

  // An explicit write transaction.
  [[nodiscard]] virtual Result<void> begin_transaction() = 0;
  [[nodiscard]] virtual Result<void> commit_transaction() = 0;
  // A transaction whose commit may return before it is on disk; durable once the backend's
  // sync_commits (store/store.h) ran after it. Consistency holds either way: a crash loses a
  // suffix of such commits, never part of one. A backend may make it an ordinary one.
  [[nodiscard]] virtual Result<void> begin_transaction_unsynced() = 0;
  virtual void rollback_transaction() noexcept = 0;
  // True when a batch (Store::run_batch) must commit each job as a transaction of its own
  // instead of one transaction with a savepoint per job. SQLite has one writer, so one
  // transaction costs nothing in contention and saves fsyncs; PostgreSQL is shared by several
  // nodes, whose batches would otherwise hold every job's row locks until the last job and
  // deadlock with each other.
  [[nodiscard]] virtual bool transaction_per_job() const noexcept { return false; }

  // Savepoints nest, so multi-statement methods are atomic both standalone and inside an
  // explicit transaction. Outside any transaction the outermost one is a transaction of its own.
  [[nodiscard]] virtual Result<void> begin_savepoint() = 0;
  [[nodiscard]] virtual Result<void> release_savepoint() = 0;
  virtual void rollback_savepoint() noexcept = 0;
  // True when the explicit transaction may hold partial work: the engine rolled it back on its
  // own or a savepoint rollback failed. Its owner must then roll all back.
  [[nodiscard]] virtual bool transaction_damaged() const noexcept = 0;

  // Serialises appends to the log named `log` (a table numbered by MAX()+1) until this
  // transaction ends, across every connection to the database. A backend whose writers are
  // already serialised (SQLite: one process holds the write lock) does nothing.
  [[nodiscard]] virtual Result<void> lock_for_append(std::string_view log) = 0;

  // Whether a write's RETURNING clause costs no more than a second statement reading the row
  // back. PostgreSQL: yes, and it saves a round trip. SQLite runs RETURNING as a trigger, so
  // the statement keeps a statement journal (a page copy, then its truncation): several times
  // an UPDATE and a SELECT together, measured on the path every message takes.
  [[nodiscard]] virtual bool returning_is_cheap() const noexcept { return true; }

  // Savepoint elision, for a group of re-runnable jobs (Store::run_batch_unsynced) under one
  // savepoint of its own: while on, in_savepoint takes no savepoint and only records that its
  // body failed, and the group's owner then rolls the group back and runs it again with
  // savepoints. Partial work of a failed method therefore never survives.
  void set_eliding_savepoints(bool on) noexcept {
    eliding_savepoints_ = on;
    elided_body_failed_ = false;
  }
  [[nodiscard]] bool eliding_savepoints() const noexcept { return eliding_savepoints_; }
  void note_elided_failure() noexcept { elided_body_failed_ = true; }
  [[nodiscard]] bool elided_body_failed() const noexcept { return elided_body_failed_; }

  // Whether this backend calls a TransactionObserver (SQLite does; PostgreSQL, whose database
  // several nodes share, does not).
  [[nodiscard]] virtual bool supports_observer() const noexcept { return false; }
  // At most one; null to stop. The observer must outlive its registration.
  void set_observer(TransactionObserver* observer) noexcept { observer_ = observer; }

 protected:
  TransactionObserver* observer_ = nullptr;

 private:
  bool eliding_savepoints_ = false;
  bool elided_body_failed_ = false;
};

// Runs `body` (returning Result<T>) inside a savepoint: released when it succeeds, rolled back
// when it, or the release, fails. The Error of a failed body is returned unchanged.
template <class F>
auto in_savepoint(Db& db, F&& body) -> std::invoke_result_t<F&> {
  if (db.eliding_savepoints()) {
    auto result = body();
    if (!result) db.note_elided_failure();
    return result;
  }
  if (auto begun = db.begin_savepoint(); !begun) return tl::unexpected(std::move(begun).error());
  auto result = body();
  if (!result) {
    db.rollback_savepoint();
    return result;
  }
  if (auto released = db.release_savepoint(); !released) {
    db.rollback_savepoint();
    return tl::unexpected(std::move(released).error());
  }
  return result;
}

}  // namespace bulwark::store::sql
