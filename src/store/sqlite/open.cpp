#include "store/sqlite/open.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "store/sqlite/migrations.h"

namespace bulwark::store::sqlite {
namespace {

constexpr Sql exclusive_lock{"lock the database for this process",
                             "PRAGMA locking_mode = EXCLUSIVE"};
constexpr Sql wal_mode{"enable WAL", "PRAGMA journal_mode = WAL"};
constexpr Sql full_sync{"set synchronous", "PRAGMA synchronous = FULL"};
constexpr Sql temp_in_memory{"keep temporary data in memory", "PRAGMA temp_store = MEMORY"};
constexpr Sql foreign_keys_on{"enable foreign keys", "PRAGMA foreign_keys = ON"};
constexpr Sql foreign_keys_state{"check foreign keys", "PRAGMA foreign_keys"};
constexpr Sql no_memory_map{"read the database without a map", "PRAGMA mmap_size = 0"};

// SQLite would create the file with 0644 less the umask; it holds phone numbers and IP
// addresses, so create it owner-only first. SQLite gives the -wal and -shm files the
// database's mode.
Result<void> create_private_file(const std::filesystem::path& file) {
  std::error_code error;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
  if (error) return fail(Errc::storage, "create database directory: " + error.message());
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(Errc::storage, std::string("create database file: ") + std::strerror(errno));
  }
  ::close(fd);
  return {};
}

// Runs a PRAGMA and returns its one-row text answer.
Result<std::string> pragma(Db& db, Sql sql) {
  auto statement = BULWARK_TRY(db.prepare(sql));
  const bool row = BULWARK_TRY(statement.step());
  if (!row) return fail(Errc::storage, std::string(sql.op) + ": no answer");
  std::string value = statement.text_at(0);
  BULWARK_TRY(statement.finish());
  return value;
}

Result<void> configure(Db& db) {
  // One process owns the database: the server's one store thread. Holding the lock for good
  // (set before WAL is entered) spares every transaction its file-lock calls and SQLite its
  // shared-memory WAL index, and refuses a second server on the same data directory.
  const std::string locking = BULWARK_TRY(pragma(db, exclusive_lock));
  if (locking != "exclusive") return fail(Errc::storage, "lock the database: refused");
  // WAL: readers never block the writer, and a commit is one append plus fsync. This is the
  // first statement that reads the file, so it is where another holder of the lock shows
  // (Db describes that error).
  const std::string mode = BULWARK_TRY(pragma(db, wal_mode));
  if (mode != "wal") return fail(Errc::storage, "enable WAL: the database refused it");
  // FULL: a commit is on disk before it returns, so an acknowledged send survives a crash.
  BULWARK_TRY(db.execute(full_sync));
  // Every job of a group commit runs in its own savepoint, which journals the pages it changes
  // so that it alone can be undone. In a temporary file that is a write(2) per page per job,
  // about ten per relayed message; in memory it is a copy, bounded by the batch.
  BULWARK_TRY(db.execute(temp_in_memory));
  BULWARK_TRY(db.execute(foreign_keys_on));
  // Reads through pread(2) into SQLite's page cache, not through a memory map. The map once
  // made a channel catch-up half again as fast, but since catch-up reads stopped walking
  // overflow chains the two are within the noise (241-245k against 209-256k posts/s,
  // bench/channel, side by side). What the map still did was cost memory: every page fault on
  // it maps up to 16 neighbouring pages of the file that the kernel has cached (fault-around),
  // so logging in 5,000 devices put 7 MiB more of the file into the server's resident set, 1.4
  // KiB per connection (bench/loadgen's idle phase). Explicitly 0: a build whose default maps.
  BULWARK_TRY(pragma(db, no_memory_map));
  // A build without foreign keys would silently skip the cascades re-registration needs.
  const std::string enforced = BULWARK_TRY(pragma(db, foreign_keys_state));
  if (enforced != "1") return fail(Errc::storage, "enable foreign keys: not supported");
  return {};
}

}  // namespace

Result<std::unique_ptr<Db>> open_database(const std::filesystem::path& file,
                                          SqliteOptions options) {
  BULWARK_TRY(create_private_file(file));
  auto db = BULWARK_TRY(Db::open(file, options.busy_timeout));
  db->set_fault_hook(std::move(options.inject_fault));
  BULWARK_TRY(configure(*db));
  BULWARK_TRY(sql::migrate(*db, sqlite_migrations()));
  return db;
}

}  // namespace bulwark::store::sqlite
