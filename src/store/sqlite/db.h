// The SQLite backend's SQL layer (store/sql/db.h): one SQLite connection, its prepared-statement
// cache and savepoints, the layer under the SQLite store (store/sqlite_store.h).
//
// Statements are prepared once and cached by their text; a Statement borrows one for a single
// execution and resets it when it goes out of scope, so no read or write stays pending between
// calls. Error mapping as store/sql/db.h says; the context is the operation's name and
// sqlite3_errstr(): never a bound value.
//
// Not thread-safe: one Db is used by one thread at a time (store/store.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"
#include "store/sql/db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bulwark::store::sqlite {

using sql::Sql;
using sql::Statement;

class Db;

// One SQLite prepared statement, executed through sql::Statement.
class SqliteStatement final : public sql::StatementImpl {
 public:
  // `cached`: the Db's cache owns it and release() makes it reusable; otherwise release()
  // finalizes and deletes it.
  SqliteStatement(Db& db, sqlite3_stmt* stmt, std::string_view op, bool cached) noexcept
      : db_(&db), stmt_(stmt), op_(op), cached_(cached) {}
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Starts an execution under `op`.
  void begin_use(std::string_view op) noexcept {
    op_ = op;
    in_use_ = true;
  }
  [[nodiscard]] bool in_use() const noexcept { return in_use_; }
  // The SQL it was prepared from (checked in debug builds against a cache hit by address).
  [[nodiscard]] std::string_view text() const noexcept;

  void bind(std::int64_t value) override;
  void bind(std::string_view text) override;
  void bind(ByteView blob) override;
  void bind_null() override;
  [[nodiscard]] Result<bool> step() override;
  [[nodiscard]] bool is_null(int column) const override;
  [[nodiscard]] std::int64_t int64_at(int column) const override;
  [[nodiscard]] std::string text_at(int column) const override;
  [[nodiscard]] Bytes blob_at(int column) const override;
  void release() noexcept override;

 private:
  void note_bind(int rc) noexcept;

  Db* db_;
  sqlite3_stmt* stmt_;
  std::string_view op_;
  bool cached_;
  bool in_use_ = false;
  int next_index_ = 1;
  int bind_error_ = 0;
};

class Db final : public sql::Db {
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
  ~Db() override;

  [[nodiscard]] Result<Statement> prepare(Sql sql) override;

  [[nodiscard]] bool in_transaction() const noexcept override;
  [[nodiscard]] std::int64_t changes() const noexcept override;

  // An explicit write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
  // commit never fails for a lock another connection took first).
  [[nodiscard]] Result<void> begin_transaction() override;
  [[nodiscard]] Result<void> commit_transaction() override;
  // In WAL mode the commit is written to the log but not synced (synchronous = NORMAL, which
  // SQLite lets change only between transactions), so it is durable only once the log is
  // synced (WalSync). Its commit or rollback sets synchronous = FULL again; should that fail,
  // the next transaction retries it before beginning, and fails if it cannot.
  [[nodiscard]] Result<void> begin_transaction_unsynced() override;
  void rollback_transaction() noexcept override;

  // Outside any transaction the outermost savepoint is BEGIN IMMEDIATE ... COMMIT, for the
  // same reason as begin_transaction.
  [[nodiscard]] Result<void> begin_savepoint() override;
  [[nodiscard]] Result<void> release_savepoint() override;
  void rollback_savepoint() noexcept override;
  // SQLite rolls some transactions back on its own (some I/O errors do).
  [[nodiscard]] bool transaction_damaged() const noexcept override;

  // One process holds the database's write lock for good (store/sqlite/open.cpp): appends are
  // already serialised.
  [[nodiscard]] Result<void> lock_for_append(std::string_view /*log*/) override { return {}; }
  [[nodiscard]] bool returning_is_cheap() const noexcept override { return false; }
  [[nodiscard]] bool supports_observer() const noexcept override { return true; }

  // The connection's synchronous setting as SQLite reports it (0 off, 1 normal, 2 full).
  [[nodiscard]] Result<int> synchronous_level();
  // The database's write-ahead log file (it exists once WAL mode has been entered).
  [[nodiscard]] std::filesystem::path wal_file() const;

  // Test hook (SqliteOptions::inject_fault): asked before every statement step except the
  // rollbacks that undo a failure; true fails that step as a disk error would.
  void set_fault_hook(std::function<bool()> hook) { fault_hook_ = std::move(hook); }

  [[nodiscard]] Error error(std::string_view op, int code) const;

 private:
  friend class SqliteStatement;
  [[nodiscard]] bool inject_fault() const { return fault_hook_ && fault_hook_(); }
  bool exec_unfailing(const char* sql) noexcept;
  // Outside a transaction: back to synchronous = FULL after an unsynced one.
  [[nodiscard]] Result<void> restore_full_sync();

  sqlite3* handle_;
  // Looked up by the Sql's text without copying it (every statement of every job goes through
  // prepare(), and a key built per call was a measurable share of the store thread's time).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  // Node-based and owning: a cached statement's address is stable while a Statement uses it.
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, TextHash, std::equal_to<>>
      cache_;
  // In front of cache_, keyed by where the Sql's text lives: a query is a constant, so its text
  // has one address for the life of the process, and hashing a pointer instead of several
  // hundred bytes of SQL takes the lookup off the profile of the path every message takes.
  // Entries point into cache_, whose statements are only ever freed with the whole Db.
  struct TextAddress {
    const char* data;
    std::size_t size;
    bool operator==(const TextAddress&) const = default;
  };
  struct TextAddressHash {
    std::size_t operator()(const TextAddress& key) const noexcept {
      return std::hash<const char*>{}(key.data) ^ key.size;
    }
  };
  std::unordered_map<TextAddress, SqliteStatement*, TextAddressHash> by_address_;
  std::function<bool()> fault_hook_;
  int savepoint_depth_ = 0;
  bool explicit_transaction_ = false;
  bool savepoint_owns_transaction_ = false;  // the outermost savepoint began the transaction
  bool rollback_failed_ = false;
  bool full_sync_pending_ = false;  // an unsynced transaction left synchronous = NORMAL
};

}  // namespace bulwark::store::sqlite
