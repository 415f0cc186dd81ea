#include "client/detail/sqlite.h"

#include <climits>

// sqlite3_key is declared only for codec builds; SQLCipher is one.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

namespace bulwark::client::detail {
namespace {

constexpr std::size_t raw_key_bytes = 32;
constexpr int busy_timeout_ms = 5000;

Error sqlite_error(sqlite3* db, int rc, bool use_connection_message = true) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return {Errc::auth_failed, "wrong key for the local database"};
    case SQLITE_CONSTRAINT:
      return {Errc::conflict, std::string("local database: ") + sqlite3_errmsg(db)};
    default:
      break;
  }
  const char* message = use_connection_message ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return {Errc::storage, std::string("local database: ") + message};
}

// SQLCipher takes a raw key (no PBKDF2) as the text x'<64 hex digits>'. Built in a SecretBytes
// so that the hex form is wiped too. The file uses SQLCipher 3's defaults (AES-256-CBC,
// HMAC-SHA1, 1 KiB pages); a move to SQLCipher 4 needs PRAGMA cipher_compatibility = 3 or a
// cipher_migrate.
Result<void> apply_key(sqlite3* db, const SecretBytes& key) {
  static constexpr char digits[] = "0123456789abcdef";
  SecretBytes text(3 + 2 * key.size());
  auto out = text.writable();
  out[0] = std::byte{'x'};
  out[1] = std::byte{'\''};
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto v = std::to_integer<unsigned>(key.view()[i]);
    out[2 + 2 * i] = static_cast<std::byte>(digits[v >> 4]);
    out[3 + 2 * i] = static_cast<std::byte>(digits[v & 0x0f]);
  }
  out.back() = std::byte{'\''};
  const int rc = sqlite3_key(db, text.view().data(), static_cast<int>(text.size()));
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db, rc));
  return {};
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      statement_(std::exchange(other.statement_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::note_bind(int rc) noexcept {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(statement_, index, value));
  return *this;
}

Statement& Statement::bind_blob(int index, ByteView value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) {
    note_bind(SQLITE_TOOBIG);
  } else if (value.empty()) {
    // A null pointer would bind NULL, not an empty blob.
    note_bind(sqlite3_bind_zeroblob(statement_, index, 0));
  } else {
    note_bind(sqlite3_bind_blob(statement_, index, value.data(), static_cast<int>(value.size()),
                                SQLITE_TRANSIENT));
  }
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) {
    note_bind(SQLITE_TOOBIG);
    return *this;
  }
  const char* data = value.empty() ? "" : value.data();
  note_bind(
      sqlite3_bind_text(statement_, index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(statement_, index));
  return *this;
}

Statement& Statement::bind_optional_text(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

Statement& Statement::bind_optional_blob(int index, const std::optional<Bytes>& value) {
  return value ? bind_blob(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(sqlite_error(db_, bind_rc_, false));
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(sqlite_error(db_, rc));
}

Result<void> Statement::run() {
  if (BULWARK_TRY(step())) return fail(Errc::internal, "local database: a statement gave rows");
  return {};
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(statement_, column); }

ByteView Statement::blob(int column) const {
  const void* data = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const std::byte*>(data), static_cast<std::size_t>(size)};
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr || size <= 0) return {};
  return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<Bytes> Statement::optional_blob(int column) const {
  if (is_null(column)) return std::nullopt;
  return to_bytes(blob(column));
}

Result<Database> Database::open(const std::filesystem::path& file, const SecretBytes& key) {
  if (key.size() != raw_key_bytes)
    return fail(Errc::invalid_length, "local database key: expected 32 bytes");
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);  // closes the handle on every path, as sqlite3_open_v2 may make one anyway
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(raw, rc));
  BULWARK_TRY(apply_key(raw, key));
  // The first read decrypts page 1: a wrong key fails here (SQLITE_NOTADB), before any write.
  BULWARK_TRY(db.exec("SELECT count(*) FROM sqlite_master"));
  // secure_delete zeroes freed pages, so deleted prekeys and replaced session records do not
  // linger in the file (forward secrecy should the key leak later); temp_store keeps
  // temporary tables off the disk; synchronous=FULL makes a commit durable before we
  // acknowledge an envelope to the server.
  BULWARK_TRY(
      db.exec("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
              " PRAGMA synchronous = FULL;"));
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), depth_(other.depth_) {}

Database::~Database() { sqlite3_close_v2(db_); }

Result<void> Database::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_, rc));
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_, rc));
  if (statement == nullptr) contract_violation("local database: empty SQL statement");
  return Statement(db_, statement);
}

std::int64_t Database::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const noexcept { return sqlite3_changes(db_); }

// One level of transaction(): rolls back unless committed, also when the body throws.
class Database::Scope {
 public:
  explicit Scope(Database& db)
      : db_(db), outer_(db.depth_ == 0), name_("bulwark_" + std::to_string(db.depth_)) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  ~Scope() {
    if (open_) rollback();
  }

  Result<void> begin() {
    BULWARK_TRY(db_.exec(outer_ ? "BEGIN IMMEDIATE" : "SAVEPOINT " + name_));
    ++db_.depth_;
    open_ = true;
    return {};
  }

  Result<void> commit() {
    // SQLite ends a transaction by itself after some errors (a full disk): then the body's
    // later statements ran outside it, and committing would claim an atomicity that was lost.
    if (sqlite3_get_autocommit(db_.db_) != 0)
      return fail(Errc::storage, "local database: the transaction was rolled back");
    BULWARK_TRY(db_.exec(outer_ ? "COMMIT" : "RELEASE " + name_));
    finish();
    return {};
  }

 private:
  void rollback() {
    if (outer_) {
      if (sqlite3_get_autocommit(db_.db_) == 0) (void)db_.exec("ROLLBACK");
    } else if (sqlite3_get_autocommit(db_.db_) == 0) {
      (void)db_.exec("ROLLBACK TO " + name_ + "; RELEASE " + name_);
    }
    finish();
  }
  void finish() {
    open_ = false;
    --db_.depth_;
  }

  Database& db_;
  bool outer_;
  std::string name_;
  bool open_ = false;
};

Result<void> Database::transaction(const std::function<Result<void>()>& body) {
  Scope scope(*this);
  BULWARK_TRY(scope.begin());
  BULWARK_TRY(body());
  return scope.commit();
}

}  // namespace bulwark::client::detail
