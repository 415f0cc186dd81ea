// The PostgreSQL schema (store/pg/migrations.h) equals SQLite's at its latest version: the same
// tables with the same columns, the same indexes and triggers, and the same schema version.
// A SQLite migration without its PostgreSQL counterpart fails here.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "../store/temp_dir.h"
#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg/migrations.h"
#include "store/sql/migrate.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/open.h"

namespace bulwark::store::pg {
namespace {

using Names = std::set<std::pair<std::string, std::string>>;

// Every (first, second) text pair `query` returns.
Names pairs_of(sql::Db& db, sql::Sql query) {
  Names out;
  auto statement = db.prepare(query);
  EXPECT_TRUE(statement) << statement.error().describe();
  if (!statement) return out;
  for (;;) {
    auto row = statement->step();
    EXPECT_TRUE(row) << row.error().describe();
    if (!row || !*row) return out;
    out.emplace(statement->text_at(0), statement->text_at(1));
  }
}

struct SchemaShape {
  Names columns;   // (table, column)
  Names indexes;   // (table, index)
  Names triggers;  // (table, trigger)
  std::int64_t version = 0;
};

SchemaShape sqlite_shape(const std::filesystem::path& file) {
  SchemaShape shape;
  auto db = sqlite::open_database(file, {});
  EXPECT_TRUE(db) << db.error().describe();
  if (!db) return shape;
  shape.columns = pairs_of(**db, {"columns",
                                  "SELECT m.name, p.name FROM sqlite_master m, "
                                  "pragma_table_info(m.name) p WHERE m.type = "
                                  "'table' AND m.name NOT LIKE 'sqlite_%'"});
  shape.indexes = pairs_of(**db, {"indexes",
                                  "SELECT tbl_name, name FROM sqlite_master WHERE "
                                  "type = 'index' AND sql IS NOT NULL"});
  shape.triggers = pairs_of(**db, {"triggers",
                                   "SELECT tbl_name, name FROM sqlite_master "
                                   "WHERE type = 'trigger'"});
  shape.version = sql::schema_version(**db).value_or(-1);
  return shape;
}

SchemaShape pg_shape(PgDb& db) {
  SchemaShape shape;
  shape.columns = pairs_of(db, {"columns",
                                "SELECT table_name::text, column_name::text FROM "
                                "information_schema.columns WHERE table_schema = "
                                "current_schema()"});
  // Named indexes only: SQLite's PRIMARY KEY and UNIQUE ones are automatic and unnamed.
  shape.indexes = pairs_of(db, {"indexes",
                                "SELECT tablename::text, indexname::text FROM "
                                "pg_indexes WHERE schemaname = current_schema() AND "
                                "indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE "
                                "'%\\_key'"});
  shape.triggers = pairs_of(db, {"triggers",
                                 "SELECT event_object_table::text, "
                                 "trigger_name::text FROM information_schema.triggers "
                                 "WHERE trigger_schema = current_schema()"});
  shape.version = sql::schema_version(db).value_or(-1);
  return shape;
}

TEST(PgSchemaTest, EqualsTheLatestSqliteSchema) {
  store::conformance::TempDir dir;
  const SchemaShape sqlite = sqlite_shape(dir.path() / "store.db");

  const std::string schema = *pg_tests::pg_server().create_schema();
  auto db = PgDb::connect(
      pg_tests::pg_server().conninfo("postgres", test::PgServer::search_options(schema)),
      std::chrono::seconds{5});
  ASSERT_TRUE(db) << db.error().describe();
  ASSERT_TRUE(sql::migrate(**db, pg_migrations()));
  const SchemaShape pg = pg_shape(**db);

  EXPECT_EQ(pg.version, sqlite.version);
  EXPECT_EQ(pg.columns, sqlite.columns);
  EXPECT_EQ(pg.indexes, sqlite.indexes);
  // PostgreSQL also refuses TRUNCATE on the append-only logs (SQLite has no TRUNCATE); the
  // triggers information_schema lists are the row-level ones, so the sets are equal.
  EXPECT_EQ(pg.triggers, sqlite.triggers);
  db->reset();
  static_cast<void>(pg_tests::pg_server().drop_schema(schema));
}

TEST(PgSchemaTest, MigratingTwiceChangesNothing) {
  const std::string schema = *pg_tests::pg_server().create_schema();
  const std::string conninfo =
      pg_tests::pg_server().conninfo("postgres", test::PgServer::search_options(schema));
  for (int run = 0; run < 2; ++run) {
    auto db = PgDb::connect(conninfo, std::chrono::seconds{5});
    ASSERT_TRUE(db) << db.error().describe();
    const auto migrated = sql::migrate(**db, pg_migrations());
    ASSERT_TRUE(migrated) << migrated.error().describe();
    EXPECT_EQ(sql::schema_version(**db).value_or(-1), pg_migrations().back().version);
  }
  static_cast<void>(pg_tests::pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
