#include "store/sqlite_store.h"

#include <memory>
#include <utility>

#include "store/sql_store.h"
#include "store/sqlite/open.h"
#include "store/sqlite/wal_sync.h"

namespace bulwark::store {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& db_file,
                                                 SqliteOptions options) {
  std::function<Result<void>()> before_sync = std::move(options.before_sync);
  const bool memory_queues = options.memory_queues;
  const hot::HotLimits memory_queue_limits = options.memory_queue_limits;
  auto db = BULWARK_TRY(sqlite::open_database(db_file, std::move(options)));
  // Owned by the sync function, so it lives as long as the store that calls it.
  auto wal_sync = std::make_shared<sqlite::WalSync>(db->wal_file());
  auto sync = [wal_sync, before_sync = std::move(before_sync)]() -> Result<void> {
    if (before_sync) BULWARK_TRY(before_sync());
    return wal_sync->sync();
  };
  // Without memory queues, envelopes a journal still holds move to the table first: else they
  // would be invisible until memory queues came back.
  auto hot_queues = BULWARK_TRY(hot::HotQueues::open(*db, memory_queue_limits));
  if (!memory_queues) {
    if (hot_queues->size() > 0) BULWARK_TRY(hot_queues->flush());
    hot_queues.reset();
  }
  return make_sql_store(std::move(db), std::move(sync), true, std::move(hot_queues));
}

}  // namespace bulwark::store
