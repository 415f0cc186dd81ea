// PostgreSQL migrations that move data (store/pg/migrations.cpp), run on a database that holds
// some: the schema tests (pg_schema_test.cpp) migrate empty ones, where a wrong column in an
// INSERT ... SELECT would go unnoticed.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "../store/conformance.h"
#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg/migrations.h"
#include "store/pg_store.h"
#include "store/sql/migrate.h"

namespace bulwark::store::pg {
namespace {

using conformance::must;

std::int64_t count_of(PgDb& db, std::string_view query) {
  auto statement = must(db.prepare(sql::Sql{"count", query}));
  EXPECT_TRUE(must(statement.step()));
  return statement.int64_at(0);
}

// Version 15: a version-14 device row's last-resort Kyber key moves to its own table; the bundle
// still hands it out, replacing it works, and it goes with its device.
TEST(PgMigrationTest, VersionFourteenDeviceKeepsItsLastResortKeyInItsOwnTable) {
  const std::string schema = must(pg_tests::pg_server().create_schema());
  const std::string conninfo =
      pg_tests::pg_server().conninfo("postgres", test::PgServer::search_options(schema));
  {
    auto db = must(PgDb::connect(conninfo, std::chrono::seconds{5}));
    ASSERT_EQ(pg_migrations()[4].version, 14);
    must(sql::migrate(*db, pg_migrations().first(5)));
    must(db->execute(sql::Sql{
        "version 14 data",
        "INSERT INTO accounts VALUES ('\\x01010101010101010101010101010101', '+12015550101', "
        "NULL, '\\x05', 1, 0, 2);"
        "INSERT INTO devices VALUES ('\\x01010101010101010101010101010101', 1, 7, '\\xaa', 'a', "
        "0, 3, '\\x05', '\\x06', 9, '\\x0808', '\\x0909')"}));
  }
  AccountId account{};
  account.bytes.fill(std::byte{0x01});
  const DeviceAddress device{account, DeviceId{1}};
  {
    auto store = must(open_pg_store(conninfo));
    conformance::expect_last_resort_key_kept(*store, device);
  }
  {
    auto db = must(PgDb::connect(conninfo, std::chrono::seconds{5}));
    EXPECT_EQ(count_of(*db,
                       "SELECT COUNT(*) FROM information_schema.columns WHERE "
                       "table_schema = current_schema() AND table_name = 'devices' AND "
                       "column_name LIKE 'kyber%'"),
              0);
    EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM last_resort_kyber_keys"), 1);
    must(db->execute(sql::Sql{"remove the device", "DELETE FROM devices"}));
    EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM last_resort_kyber_keys"), 0)
        << "the key goes with its device";
  }
  static_cast<void>(pg_tests::pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
