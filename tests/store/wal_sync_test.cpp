// Syncing the write-ahead log from outside the connection (store/sqlite/wal_sync.h).
#include "store/sqlite/wal_sync.h"

#include <fstream>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::TempDir;

TEST(WalSyncTest, ALogNotCreatedYetHoldsNothingToSync) {
  TempDir dir;
  WalSync sync(dir.path() / "test.db-wal");
  EXPECT_TRUE(sync.sync());
}

TEST(WalSyncTest, SyncsTheLogAndFindsItAgainWhenReplaced) {
  TempDir dir;
  const auto wal = dir.path() / "test.db-wal";
  std::ofstream(wal) << "frames";
  WalSync sync(wal);
  EXPECT_TRUE(sync.sync());
  std::filesystem::remove(wal);
  EXPECT_TRUE(sync.sync());  // gone: nothing left to sync
  std::ofstream(wal) << "new frames";
  EXPECT_TRUE(sync.sync());
}

TEST(WalSyncTest, ALogThatCannotBeOpenedIsAStorageErrorNamingTheStep) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "not a directory";
  WalSync sync(dir.path() / "file" / "test.db-wal");
  const auto synced = sync.sync();
  ASSERT_FALSE(synced);
  EXPECT_EQ(synced.error().code, Errc::storage);
  EXPECT_NE(synced.error().describe().find("sync the write-ahead log: open"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::store::sqlite
