// Db and Statement: one SQLite connection, its prepared-statement cache and savepoints, the
// layer under the SQLite store (store/sqlite_store.h).
//
// Every value reaches SQL as a bound parameter; SQL text is always a constant. Statements are
// prepared once and cached by their text; a Statement borrows one for a single execution and
// resets it when it goes out of scope, so no read or write stays pending between calls.
//
// Error mapping: a UNIQUE or PRIMARY KEY violation is Errc::conflict, a FOREIGN KEY violation
// is Errc::not_found (the row it points at does not exist), anything else Errc::storage. The
// context is the operation's name and sqlite3_errstr(): never a bound value.
//
// Not thread-safe: one Db is used by one thread at a time (store/store.h).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bulwark::store::sqlite {

// A constant SQL statement and the name its errors are reported under. `op` must outlive every
// Statement prepared from it (string literals do).
struct Sql {
  std::string_view op;
  std::string_view text;
};

class Db;

// One execution of a prepared statement. Parameters are bound in order with bind(); the first
// bind failure is reported by the next step().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(std::int64_t value);
  Statement& bind(std::string_view text);
  Statement& bind(ByteView blob);
  Statement& bind_null();

  // True when a row is ready to read, false when the statement is done.
  [[nodiscard]] Result<bool> step();
  // Steps until done, ignoring rows (RETURNING rows already read, or none expected).
  [[nodiscard]] Result<void> finish();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t int64_at(int column) const;
  // Requires the value to fit 32 bits unsigned; anything else is a corrupt row.
  [[nodiscard]] Result<std::uint32_t> u32_at(int column) const;
  [[nodiscard]] std::string text_at(int column) const;
  [[nodiscard]] Bytes blob_at(int column) const;
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
  friend class Db;
  Statement(Db& db, sqlite3_stmt* stmt, std::string_view op, bool* in_use) noexcept;

  Db* db_;
  sqlite3_stmt* stmt_;
  std::string_view op_;
  bool* in_use_;  // the cache entry's flag, or nullptr for a statement this object owns
  int next_index_ = 1;
  int bind_error_ = 0;
};

class Db {
 public:
  // Opens (creating if needed) the database file with extended result codes and a busy timeout.
  [[nodiscard]] static Result<std::unique_ptr<Db>> open(const std::filesystem::path& file,
                                                        std::chrono::milliseconds busy_timeout);
  // Only open() can name the key: a Db always wraps a handle it owns.
  class Key {
    friend class Db;
    Key() = default;
  };
  Db(Key /*key*/, sqlite3* handle) noexcept : handle_(handle) {}
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // A cached prepared statement for `sql`. If the cached one is already executing (a nested
  // use), a fresh one is prepared for this execution.
  [[nodiscard]] Result<Statement> prepare(Sql sql);
  // Prepares, runs to completion and discards `sql` (schema changes, transaction control).
  [[nodiscard]] Result<void> execute(Sql sql);

  [[nodiscard]] bool in_transaction() const noexcept;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t changes() const noexcept;

  // An explicit write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
  // commit never fails for a lock another connection took first).
  [[nodiscard]] Result<void> begin_transaction();
  [[nodiscard]] Result<void> commit_transaction();
  // A transaction whose commit does not wait for the disk: in WAL mode it is written to the
  // log but not synced (synchronous = NORMAL, which SQLite lets change only between
  // transactions), so it is durable only once the log is synced (WalSync). Consistency holds
  // either way: a crash loses a suffix of such commits, never part of one. Its commit or
  // rollback sets synchronous = FULL again; should that fail, the next transaction retries it
  // before beginning, and fails if it cannot.
  [[nodiscard]] Result<void> begin_transaction_unsynced();
  // The connection's synchronous setting as SQLite reports it (0 off, 1 normal, 2 full).
  [[nodiscard]] Result<int> synchronous_level();
  // The database's write-ahead log file (it exists once WAL mode has been entered).
  [[nodiscard]] std::filesystem::path wal_file() const;
  void rollback_transaction() noexcept;

  // Savepoints nest, so multi-statement methods are atomic both standalone and inside an
  // explicit transaction. Outside any transaction the outermost one is a transaction of its own
  // (BEGIN IMMEDIATE ... COMMIT, for the same reason as begin_transaction).
  [[nodiscard]] Result<void> begin_savepoint();
  [[nodiscard]] Result<void> release_savepoint();
  void rollback_savepoint() noexcept;
  // True when the explicit transaction may hold partial work: SQLite rolled it back on its own
  // (some I/O errors do) or a savepoint rollback failed. Its owner must then roll all back.
  [[nodiscard]] bool transaction_damaged() const noexcept;

  // Test hook (SqliteOptions::inject_fault): asked before every statement step except the
  // rollbacks that undo a failure; true fails that step as a disk error would.
  void set_fault_hook(std::function<bool()> hook) { fault_hook_ = std::move(hook); }

  [[nodiscard]] Error error(std::string_view op, int code) const;

 private:
  friend class Statement;
  [[nodiscard]] bool inject_fault() const { return fault_hook_ && fault_hook_(); }
  bool exec_unfailing(const char* sql) noexcept;
  // Outside a transaction: back to synchronous = FULL after an unsynced one.
  [[nodiscard]] Result<void> restore_full_sync();

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* handle_;
  // Node-based: a CachedStatement's address is stable while Statements point at its flag.
  std::unordered_map<std::string, CachedStatement> cache_;
  std::function<bool()> fault_hook_;
  int savepoint_depth_ = 0;
  bool explicit_transaction_ = false;
  bool savepoint_owns_transaction_ = false;  // the outermost savepoint began the transaction
  bool rollback_failed_ = false;
  bool full_sync_pending_ = false;  // an unsynced transaction left synchronous = NORMAL
};

// Runs `body` (returning Result<T>) inside a savepoint: released when it succeeds, rolled back
// when it, or the release, fails. The Error of a failed body is returned unchanged.
template <class F>
auto in_savepoint(Db& db, F&& body) -> std::invoke_result_t<F&> {
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

}  // namespace bulwark::store::sqlite
