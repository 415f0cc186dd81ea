// Runs the store conformance suites (tests/store/conformance.h) against the PostgreSQL
// backend: every Backend is a fresh schema on the binary's one server (pg_environment.h), and
// reopen() is a new connection to it.
#include <stdexcept>
#include <string>

#include "../store/conformance.h"
#include "pg_environment.h"
#include "store/pg_store.h"

namespace bulwark::store::conformance {
namespace {

// Commits return before the server's WAL flush: what the suites check (a reopened store, i.e. a
// new connection, sees what was committed) holds either way, and waiting for the disk made the
// run five times longer. The server itself keeps fsync on (support/pg_server.h).
constexpr std::string_view unsynced_commits = "-csynchronous_commit=off";

class PgBackend final : public Backend {
 public:
  PgBackend() : schema_(must(pg_tests::pg_server().create_schema())) { open(); }
  ~PgBackend() override {
    store_.reset();
    static_cast<void>(pg_tests::pg_server().drop_schema(schema_));
  }

  Store& store() override { return *store_; }
  void reopen() override {
    store_.reset();
    open();
  }
  void fail_after(std::optional<int> n) override { faults_.arm(n); }
  bool fault_fired() const override { return faults_.fired(); }
  bool one_commit_per_batch() const override { return false; }

 private:
  void open() {
    PgOptions options;
    options.inject_fault = [this] { return faults_.should_fail(); };
    const test::PgServer& server = pg_tests::pg_server();
    auto opened = open_pg_store(
        server.conninfo("postgres", test::PgServer::search_options(schema_, unsynced_commits)),
        std::move(options));
    if (!opened) throw std::runtime_error("open: " + opened.error().describe());
    store_ = std::move(*opened);
  }

  std::string schema_;
  FailCounter faults_;
  std::unique_ptr<Store> store_;
};

const BackendFactory pg_backend{"Pg", [] { return std::make_unique<PgBackend>(); }};

INSTANTIATE_TEST_SUITE_P(Pg, StoreCodesTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreAccountsTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreDevicesTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StorePreKeysTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreQueuesTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreIpsTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreKtTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreChannelsTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreBatchTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreFaultTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreModerationTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreLawfulTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreKeyPackagesTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreGroupsTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreLeasesTest, ::testing::Values(pg_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Pg, StoreSignedRequestsTest, ::testing::Values(pg_backend), backend_name);

}  // namespace
}  // namespace bulwark::store::conformance
