// Opening the SQLite store: file creation and mode, durability settings, bad files.
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite/open.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store {
namespace {

using conformance::must;
using conformance::TempDir;

unsigned mode_of(const std::filesystem::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0) << file;
  return info.st_mode & 0777;
}

std::string pragma(const std::filesystem::path& file, std::string_view sql) {
  auto db = must(sqlite::Db::open(file, std::chrono::milliseconds{1000}));
  auto query = must(db->prepare(sql::Sql{"pragma", sql}));
  EXPECT_TRUE(must(query.step()));
  return query.text_at(0);
}

TEST(SqliteStoreTest, OpenCreatesTheDirectoryAndOwnerOnlyFiles) {
  TempDir dir;
  const auto file = dir.path() / "a" / "b" / "store.db";
  auto store = must(open_sqlite_store(file));
  must(store->register_account(conformance::new_account(1), conformance::new_device(1)));
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(file.string() + "-wal"), 0600u);
}

TEST(SqliteStoreTest, DatabaseIsInWalMode) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  must(open_sqlite_store(file));
  // WAL is a property of the file: a fresh connection sees it.
  EXPECT_EQ(pragma(file, "PRAGMA journal_mode"), "wal");
}

// The connection's settings: a commit is durable before it returns, the savepoint journals of a
// group commit stay in memory (in a temporary file they cost a write per page per job), and the
// file is read without a memory map (whose fault-around made idle connections dearer).
TEST(SqliteStoreTest, ConnectionSyncsFullyAndKeepsSavepointJournalsInMemory) {
  TempDir dir;
  auto db = must(sqlite::open_database(dir.path() / "store.db", {}));
  auto ask = [&](std::string_view sql) {
    auto query = must(db->prepare(sql::Sql{"pragma", sql}));
    EXPECT_TRUE(must(query.step()));
    return query.text_at(0);
  };
  EXPECT_EQ(ask("PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(ask("PRAGMA temp_store"), "2");   // MEMORY
  EXPECT_EQ(ask("PRAGMA foreign_keys"), "1");
  EXPECT_EQ(ask("PRAGMA mmap_size"), "0");
}

TEST(SqliteStoreTest, DirectoryInsteadOfAFileIsAStorageError) {
  TempDir dir;
  auto opened = open_sqlite_store(dir.path());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::storage);
}

TEST(SqliteStoreTest, FileThatIsNotADatabaseIsAStorageError) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  std::ofstream(file) << std::string(4096, 'x');
  auto opened = open_sqlite_store(file);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::storage);
}

TEST(SqliteStoreTest, ErrorsNameTheOperationButNoValues) {
  TempDir dir;
  auto store = must(open_sqlite_store(dir.path() / "store.db"));
  const AccountId alice =
      must(store->register_account(conformance::new_account(1), conformance::new_device(1)));
  const AccountId bob =
      must(store->register_account(conformance::new_account(2), conformance::new_device(2)));
  must(store->set_username(alice, "secret.name"));
  auto taken = store->set_username(bob, "secret.name");
  ASSERT_FALSE(taken);
  EXPECT_NE(taken.error().context.find("set username"), std::string::npos);
  EXPECT_EQ(taken.error().context.find("secret"), std::string::npos);
  std::vector<Envelope> lost{conformance::envelope({alice, DeviceId{9}}, 1)};
  auto enqueued = store->enqueue(lost);
  ASSERT_FALSE(enqueued);
  EXPECT_EQ(enqueued.error().code, Errc::not_found);
  EXPECT_NE(enqueued.error().context.find("enqueue"), std::string::npos);
}

// The store holds its database exclusively: a second store (say, a second server started on
// the same data directory) is refused with a clear error instead of writing beside the first,
// and opens once the first has closed, seeing everything it committed.
TEST(SqliteStoreTest, SecondStoreOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  auto first = must(open_sqlite_store(file));
  must(first->register_account(conformance::new_account(1), conformance::new_device(1)));
  SqliteOptions quick;
  quick.busy_timeout = std::chrono::milliseconds{0};
  auto second = open_sqlite_store(file, quick);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::storage);
  EXPECT_NE(second.error().describe().find("in use by another process"), std::string::npos)
      << second.error().describe();
  first.reset();
  auto reopened = must(open_sqlite_store(file, quick));
  EXPECT_TRUE(must(reopened->account(conformance::account_id(1))));
}

}  // namespace
}  // namespace bulwark::store
