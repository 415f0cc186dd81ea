// The [store] section of the server's configuration (server/config.h): SQLite by default,
// PostgreSQL with a connection string, and the string never echoed in an error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "server/config.h"

namespace bulwark::server {
namespace {

class StoreConfigTest : public ::testing::Test {
 protected:
  StoreConfigTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("bulwark-store-config-" +
              std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
              std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
  }
  ~StoreConfigTest() override { std::filesystem::remove_all(dir_); }

  Result<ServerConfig> load(const std::string& text) {
    const auto file = dir_ / "server.toml";
    std::ofstream(file) << text;
    return load_config(file);
  }

  std::filesystem::path dir_;
};

TEST_F(StoreConfigTest, TheDefaultIsSqliteWithoutAConnectionString) {
  const auto config = load("");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->store_backend, "sqlite");
  EXPECT_TRUE(config->postgres.empty());
  EXPECT_TRUE(check_store(ServerConfig{}));
}

TEST_F(StoreConfigTest, PostgresTakesItsConnectionString) {
  const auto config =
      load("[store]\nbackend = \"postgres\"\npostgres = \"host=127.0.0.1 port=5433 dbname=b\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->store_backend, "postgres");
  EXPECT_EQ(config->postgres, "host=127.0.0.1 port=5433 dbname=b");
}

TEST_F(StoreConfigTest, MismatchedOrUnknownSettingsAreRefusedWithoutEchoingTheString) {
  for (const std::string& text : {
           std::string("[store]\nbackend = \"postgres\"\n"),
           std::string("[store]\npostgres = \"password=hunter2\"\n"),
           std::string("[store]\nbackend = \"mysql\"\npostgres = \"password=hunter2\"\n"),
           std::string("[store]\nbackend = \"postgres\"\nconninfo = \"password=hunter2\"\n"),
       }) {
    const auto config = load(text);
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error().code, Errc::invalid_argument) << text;
    EXPECT_NE(config.error().context.find("store"), std::string::npos) << config.error().context;
    EXPECT_EQ(config.error().context.find("hunter2"), std::string::npos) << config.error().context;
  }
}

}  // namespace
}  // namespace bulwark::server
