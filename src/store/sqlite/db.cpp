#include "store/sqlite/db.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <mutex>

namespace bulwark::store::sqlite {
namespace {

constexpr Sql begin_sql{"begin transaction", "BEGIN IMMEDIATE"};
constexpr Sql commit_sql{"commit", "COMMIT"};
constexpr Sql savepoint_sql{"savepoint", "SAVEPOINT bulwark_sp"};
constexpr Sql release_sql{"release savepoint", "RELEASE bulwark_sp"};
constexpr Sql normal_sync_sql{"commit without sync", "PRAGMA synchronous = NORMAL"};
constexpr Sql full_sync_sql{"restore synced commits", "PRAGMA synchronous = FULL"};
constexpr Sql synchronous_sql{"read synchronous", "PRAGMA synchronous"};

// True when `rest` holds nothing but whitespace and semicolons: one Sql is one statement.
bool only_blank(std::string_view rest) {
  return rest.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

}  // namespace

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::release() noexcept {
  // A reset ends any read or write this execution started; its return value repeats the last
  // step's error, which step() already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  next_index_ = 1;
  bind_error_ = SQLITE_OK;
  in_use_ = false;
  if (!cached_) delete this;
}

void SqliteStatement::note_bind(int rc) noexcept {
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void SqliteStatement::bind(std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, next_index_++, value));
}

void SqliteStatement::bind(std::string_view text) {
  // As for blobs: an empty std::string_view may have a null data(), which would bind SQL NULL.
  const char* data = text.empty() ? "" : text.data();
  note_bind(
      sqlite3_bind_text64(stmt_, next_index_++, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void SqliteStatement::bind(ByteView blob) {
  // A null pointer would bind SQL NULL; an empty blob is a value, so give SQLite a valid one.
  static constexpr std::byte empty{};
  const void* data = blob.empty() ? &empty : blob.data();
  note_bind(sqlite3_bind_blob64(stmt_, next_index_++, data, blob.size(), SQLITE_TRANSIENT));
}

void SqliteStatement::bind_null() { note_bind(sqlite3_bind_null(stmt_, next_index_++)); }

Result<bool> SqliteStatement::step() {
  if (bind_error_ != SQLITE_OK) return tl::unexpected(db_->error(op_, bind_error_));
  if (db_->inject_fault()) return fail(Errc::storage, std::string(op_) + ": injected fault");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(db_->error(op_, rc));
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int64_at(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::text_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

Bytes SqliteStatement::blob_at(int column) const {
  const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {data, data + size};
}

Result<std::unique_ptr<Db>> Db::open(const std::filesystem::path& file,
                                     std::chrono::milliseconds busy_timeout) {
  // SQLite's memory statistics take a global mutex on every allocation, and nothing reads
  // them. Settable only before SQLite initialises (the first open); later calls are refused
  // harmlessly.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* handle = nullptr;
  // NOMUTEX: the store is used by one thread at a time, so SQLite's own locking is overhead.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &handle, flags, nullptr);
  auto db = std::make_unique<Db>(Key{}, handle);  // owns the handle even when open failed
  if (rc != SQLITE_OK) return tl::unexpected(db->error("open database", rc));
  sqlite3_extended_result_codes(handle, 1);
  const auto timeout = std::min<std::chrono::milliseconds::rep>(busy_timeout.count(),
                                                                std::numeric_limits<int>::max());
  sqlite3_busy_timeout(handle, static_cast<int>(timeout));
  return db;
}

Db::~Db() {
  by_address_.clear();
  cache_.clear();  // finalizes every cached statement before the handle closes
  sqlite3_close_v2(handle_);
}

Result<Statement> Db::prepare(Sql sql) {
  const TextAddress address{sql.text.data(), sql.text.size()};
  if (auto known = by_address_.find(address);
      known != by_address_.end() && !known->second->in_use()) {
#ifndef NDEBUG
    // The contract (sql::Sql): a text lives, unchanged, as long as the Db. One built at run
    // time and freed could leave its address to another text of the same length.
    const std::string_view prepared = known->second->text();
    if (!sql.text.starts_with(prepared) || !only_blank(sql.text.substr(prepared.size()))) {
      contract_violation("store::sqlite::Db::prepare: an Sql's text moved or changed");
    }
#endif
    known->second->begin_use(sql.op);
    return Statement(*known->second, sql.op);
  }
  if (auto found = cache_.find(sql.text);
      found != cache_.end() && found->second && !found->second->in_use()) {
    by_address_.insert_or_assign(address, found->second.get());
    found->second->begin_use(sql.op);
    return Statement(*found->second, sql.op);
  }
  auto [it, inserted] = cache_.try_emplace(std::string(sql.text));
  std::unique_ptr<SqliteStatement>& entry = it->second;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(handle_, sql.text.data(), static_cast<int>(sql.text.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    if (inserted) cache_.erase(it);
    return tl::unexpected(error(sql.op, rc));
  }
  if (stmt == nullptr || !only_blank({tail, sql.text.data() + sql.text.size()})) {
    contract_violation("store::sqlite::Db::prepare: an Sql must hold exactly one statement");
  }
  if (!entry) {
    entry = std::make_unique<SqliteStatement>(*this, stmt, sql.op, true);
    by_address_.insert_or_assign(address, entry.get());
    entry->begin_use(sql.op);
    return Statement(*entry, sql.op);
  }
  // The cached one is executing (a nested use): this execution gets its own, freed on release.
  auto* one_off = new SqliteStatement(*this, stmt, sql.op, false);
  one_off->begin_use(sql.op);
  return Statement(*one_off, sql.op);
}

std::string_view SqliteStatement::text() const noexcept {
  const char* text = sqlite3_sql(stmt_);
  return text == nullptr ? std::string_view() : std::string_view(text);
}

bool Db::in_transaction() const noexcept { return sqlite3_get_autocommit(handle_) == 0; }

std::int64_t Db::changes() const noexcept { return sqlite3_changes64(handle_); }

Result<void> Db::begin_transaction() {
  if (in_transaction()) contract_violation("store::sqlite::Db: transaction already open");
  BULWARK_TRY(restore_full_sync());
  BULWARK_TRY(execute(begin_sql));
  explicit_transaction_ = true;
  return {};
}

Result<void> Db::commit_transaction() {
  // SQLite may have rolled it back on its own: the observer's writes would then commit alone.
  if (!in_transaction()) return fail(Errc::storage, "commit: the transaction was lost");
  if (observer_ != nullptr) BULWARK_TRY(observer_->before_commit());
  BULWARK_TRY(execute(commit_sql));
  explicit_transaction_ = false;
  rollback_failed_ = false;
  if (observer_ != nullptr) observer_->committed();
  // The commit stands whatever this does; if it fails, the next transaction retries it first.
  static_cast<void>(restore_full_sync());
  return {};
}

Result<void> Db::begin_transaction_unsynced() {
  if (in_transaction()) contract_violation("store::sqlite::Db: transaction already open");
  full_sync_pending_ = true;  // set first: a failed PRAGMA may still have changed the level
  BULWARK_TRY(execute(normal_sync_sql));
  if (auto begun = execute(begin_sql); !begun) {
    static_cast<void>(restore_full_sync());
    return begun;
  }
  explicit_transaction_ = true;
  return {};
}

Result<void> Db::restore_full_sync() {
  if (!full_sync_pending_ || in_transaction()) return {};
  BULWARK_TRY(execute(full_sync_sql));
  full_sync_pending_ = false;
  return {};
}

Result<int> Db::synchronous_level() {
  auto statement = BULWARK_TRY(prepare(synchronous_sql));
  if (!BULWARK_TRY(statement.step())) return fail(Errc::storage, "read synchronous: no answer");
  const auto level = static_cast<int>(statement.int64_at(0));
  BULWARK_TRY(statement.finish());
  return level;
}

std::filesystem::path Db::wal_file() const {
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(handle_, "main"));
  return wal == nullptr ? std::filesystem::path() : std::filesystem::path(wal);
}

void Db::rollback_transaction() noexcept {
  if (in_transaction()) exec_unfailing("ROLLBACK");
  if (observer_ != nullptr) observer_->rolled_back();
  explicit_transaction_ = false;
  savepoint_owns_transaction_ = false;
  rollback_failed_ = false;
  savepoint_depth_ = 0;
  if (full_sync_pending_ && !in_transaction() && exec_unfailing(full_sync_sql.text.data())) {
    full_sync_pending_ = false;
  }
}

Result<void> Db::begin_savepoint() {
  if (savepoint_depth_ == 0 && !in_transaction()) {
    BULWARK_TRY(restore_full_sync());
    BULWARK_TRY(execute(begin_sql));
    savepoint_owns_transaction_ = true;
  } else {
    BULWARK_TRY(execute(savepoint_sql));
  }
  ++savepoint_depth_;
  if (observer_ != nullptr) observer_->savepoint_begun();
  return {};
}

Result<void> Db::release_savepoint() {
  if (savepoint_depth_ == 1 && savepoint_owns_transaction_) {
    // A nested rollback that failed may have left partial work: never commit it.
    if (rollback_failed_) return fail(Errc::storage, "commit: an earlier rollback failed");
    if (!in_transaction()) return fail(Errc::storage, "commit: the transaction was lost");
    if (observer_ != nullptr) BULWARK_TRY(observer_->before_commit());
    BULWARK_TRY(execute(commit_sql));
    savepoint_owns_transaction_ = false;
    --savepoint_depth_;
    if (observer_ != nullptr) observer_->committed();
    return {};
  }
  BULWARK_TRY(execute(release_sql));
  --savepoint_depth_;
  if (observer_ != nullptr) observer_->savepoint_released();
  return {};
}

void Db::rollback_savepoint() noexcept {
  --savepoint_depth_;
  const bool outermost = savepoint_depth_ == 0 && savepoint_owns_transaction_;
  // Some I/O errors make SQLite roll the whole transaction back itself: nothing left to undo.
  if (in_transaction()) {
    if (outermost) {
      exec_unfailing("ROLLBACK");
    } else if (!exec_unfailing("ROLLBACK TO bulwark_sp") || !exec_unfailing("RELEASE bulwark_sp")) {
      rollback_failed_ = true;
    }
  }
  if (outermost) {
    savepoint_owns_transaction_ = false;
    rollback_failed_ = false;
  }
  if (observer_ != nullptr) {
    observer_->savepoint_rolled_back();
    if (outermost) observer_->rolled_back();
  }
}

bool Db::transaction_damaged() const noexcept {
  return explicit_transaction_ && (rollback_failed_ || !in_transaction());
}

bool Db::exec_unfailing(const char* sql) noexcept {
  return sqlite3_exec(handle_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

Error Db::error(std::string_view op, int code) const {
  Errc errc = Errc::storage;
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    errc = Errc::conflict;
  } else if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    errc = Errc::not_found;
  }
  std::string context(op);
  context += ": ";
  context += sqlite3_errstr(code);
  // The store holds its file exclusively (store/sqlite/open.cpp), so a lock it cannot get is
  // another process's: say so rather than leave "database is locked" to be decoded.
  if ((code & 0xff) == SQLITE_BUSY) {
    context += " (in use by another process: another server on this data directory?)";
  }
  return Error{errc, std::move(context)};
}

}  // namespace bulwark::store::sqlite
