// pg_store_tests' main: one PostgreSQL server for the whole run (pg_environment.h).
#include <gtest/gtest.h>

#include <memory>

#include "pg_environment.h"

namespace bulwark::store::pg_tests {
namespace {

std::unique_ptr<test::PgServer> shared_server;

class PgEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    auto started = test::PgServer::start();
    ASSERT_TRUE(started) << "start PostgreSQL: " << started.error().describe();
    shared_server = std::move(*started);
  }
  void TearDown() override { shared_server.reset(); }
};

}  // namespace

test::PgServer& pg_server() {
  if (!shared_server) contract_violation("pg_server: the PostgreSQL environment did not start");
  return *shared_server;
}

}  // namespace bulwark::store::pg_tests

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // gtest owns the environments it is given.
  ::testing::AddGlobalTestEnvironment(
      std::make_unique<bulwark::store::pg_tests::PgEnvironment>().release());
  return RUN_ALL_TESTS();
}
