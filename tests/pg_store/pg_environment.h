// The one PostgreSQL server of the pg_store_tests binary: started before the first test and
// stopped after the last (a gtest global Environment, registered in main.cpp), because
// starting one takes seconds. Tests take a fresh schema each (PgServer::create_schema).
#pragma once

#include "support/pg_server.h"

namespace bulwark::store::pg_tests {

// Requires the environment to have started (inside a test, it has).
[[nodiscard]] test::PgServer& pg_server();

}  // namespace bulwark::store::pg_tests
