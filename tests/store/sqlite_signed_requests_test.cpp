// A full table of signed admin requests refuses a new one rather than forgetting one still in
// its window (store/sql/signed_requests.h). SQLite only: the capacity is a parameter of the SQL
// layer, and filling the real one through the Store would take 65,536 commits.
#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sql/signed_requests.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::error_of;
using conformance::must;
using conformance::TempDir;

TEST(SqliteSignedRequestsTest, AFullTableRefusesRatherThanForgets) {
  TempDir dir;
  const auto file = dir.path() / "store.db";
  must(open_sqlite_store(file));  // migrated, then closed: it holds the file exclusively
  auto db = must(Db::open(file, std::chrono::milliseconds{1000}));
  constexpr std::int64_t now = 1'000'000;
  constexpr std::size_t capacity = 3;
  auto signature = [](std::uint8_t n) { return Bytes(64, std::byte{n}); };
  for (std::uint8_t n = 1; n <= 3; ++n)
    must(sql::admit_signed_request(*db, signature(n), now + 10, now, capacity));
  EXPECT_EQ(error_of(sql::admit_signed_request(*db, signature(4), now + 10, now, capacity)),
            Errc::unavailable);
  // The refusal recorded nothing: with room for one more, the same signature is taken.
  must(sql::admit_signed_request(*db, signature(4), now + 10, now, capacity + 1));
  // A replay is reported as one even when the table is full.
  EXPECT_EQ(error_of(sql::admit_signed_request(*db, signature(1), now + 10, now, capacity)),
            Errc::conflict);
  // Once they expire, room again.
  must(sql::admit_signed_request(*db, signature(5), now + 30, now + 11, capacity));
  EXPECT_EQ(error_of(sql::admit_signed_request(*db, signature(5), now + 30, now + 12, capacity)),
            Errc::conflict);
}

}  // namespace
}  // namespace bulwark::store::sqlite
