// WalSync: makes the commits already written to a database's write-ahead log durable, from a
// thread other than the one using the connection.
//
// Why: a commit made with Db::commit_transaction_unsynced() is in the log but maybe only in
// the page cache. Syncing the log file makes it, and every commit before it, durable (the log
// is append-only between checkpoints, and a checkpoint syncs the log before copying it back).
// Doing that here instead of inside COMMIT lets the store thread run the next transaction
// while the disk works, and lets one sync cover every commit made meanwhile.
//
// It uses its own read-only descriptor of the log: fdatasync flushes the file, not the
// descriptor. SQLite keeps the log for as long as the connection is open in WAL mode; should
// the file have been replaced all the same, the new one is opened and synced.
//
// One caller at a time (the store's sync thread); it touches no SQLite state.
#pragma once

#include <filesystem>

#include "common/result.h"

namespace bulwark::store::sqlite {

class WalSync {
 public:
  explicit WalSync(std::filesystem::path wal) : wal_(std::move(wal)) {}
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Every commit written to the log before this call is on disk when it returns. A log not
  // created yet holds no commit: nothing to do.
  [[nodiscard]] Result<void> sync();

 private:
  [[nodiscard]] Result<bool> open_if_needed();

  std::filesystem::path wal_;
  int fd_ = -1;
};

}  // namespace bulwark::store::sqlite
