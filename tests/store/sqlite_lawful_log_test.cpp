// The SQLite disclosure log is append-only below the store's API too: its triggers refuse any
// UPDATE or DELETE, whoever issues it (store/sql/lawful.h).
#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::must;
using conformance::TempDir;

TEST(SqliteLawfulLogTest, TriggersRefuseUpdateAndDelete) {
  TempDir dir;
  {
    auto store = must(open_sqlite_store(dir.path() / "store.db"));
    LawfulLogEntry entry;
    entry.entry = Bytes(90, std::byte{1});
    entry.leaf_hash = Bytes(32, std::byte{2});
    entry.checkpoint = "example.org/lawful\n1\nroot\n";
    must(store->append_lawful_log(entry));
  }
  auto db = must(Db::open(dir.path() / "store.db", std::chrono::milliseconds{1000}));
  auto update = db->execute(Sql{"tamper", "UPDATE lawful_log SET checkpoint = 'changed'"});
  ASSERT_FALSE(update);
  auto rehash = db->execute(Sql{"tamper", "UPDATE lawful_log SET leaf_hash = zeroblob(32)"});
  ASSERT_FALSE(rehash);
  auto remove = db->execute(Sql{"tamper", "DELETE FROM lawful_log"});
  ASSERT_FALSE(remove);
  auto query = must(db->prepare(Sql{"read", "SELECT checkpoint, leaf_hash FROM lawful_log"}));
  ASSERT_TRUE(must(query.step()));
  EXPECT_EQ(query.text_at(0), "example.org/lawful\n1\nroot\n");
  EXPECT_EQ(query.blob_at(1), Bytes(32, std::byte{2}));
  EXPECT_FALSE(must(query.step()));
}

}  // namespace
}  // namespace bulwark::store::sqlite
