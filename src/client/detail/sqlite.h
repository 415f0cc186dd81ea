// Internal: a small wrapper over SQLCipher's C API (sqlite3_*), the only code that calls it.
//
// Database owns a connection; Statement owns one prepared statement. Every SQLite failure
// becomes an Error: SQLITE_NOTADB (what SQLCipher reports for a wrong key) is Errc::auth_failed,
// a constraint violation Errc::conflict, anything else Errc::storage with SQLite's message,
// which names tables and columns, never bound values.
//
// Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, inner ones are SAVEPOINTs, so
// a method that needs atomicity for itself works alone and inside a caller's transaction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bulwark::client::detail {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) noexcept : db_(db), statement_(statement) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1. A failed bind is reported by the next step().
  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_blob(int index, ByteView value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind_optional_text(int index, const std::optional<std::string>& value);
  Statement& bind_optional_blob(int index, const std::optional<Bytes>& value);

  // True when a row is ready, false when the statement is done.
  [[nodiscard]] Result<bool> step();
  // Steps a statement that returns no rows.
  [[nodiscard]] Result<void> run();

  // Columns are numbered from 0 and read the current row.
  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t int64(int column) const;
  // Valid until the next step; copy it (to SecretBytes for secrets) before then.
  [[nodiscard]] ByteView blob(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::optional<std::string> optional_text(int column) const;
  [[nodiscard]] std::optional<Bytes> optional_blob(int column) const;

 private:
  void note_bind(int rc) noexcept;

  sqlite3* db_;
  sqlite3_stmt* statement_;
  int bind_rc_ = 0;  // SQLITE_OK
};

class Database {
 public:
  // Opens `file` (which must exist) with the 32-byte raw `key` and proves the key by reading
  // the schema: Errc::auth_failed "wrong key for the local database" when it does not open.
  // Nothing is written before that check.
  [[nodiscard]] static Result<Database> open(const std::filesystem::path& file,
                                             const SecretBytes& key);
  Database(Database&& other) noexcept;
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs SQL without parameters (one or more statements).
  [[nodiscard]] Result<void> exec(const std::string& sql);
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  // Runs `body` atomically: committed when it succeeds, rolled back when it fails.
  [[nodiscard]] Result<void> transaction(const std::function<Result<void>()>& body);
  [[nodiscard]] std::int64_t last_insert_rowid() const noexcept;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] int changes() const noexcept;

 private:
  class Scope;
  explicit Database(sqlite3* db) noexcept : db_(db) {}

  sqlite3* db_;
  int depth_ = 0;  // open transaction() calls
};

}  // namespace bulwark::client::detail
