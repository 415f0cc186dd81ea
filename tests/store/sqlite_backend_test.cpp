// Runs the store conformance suites (tests/store/conformance.h) against the SQLite backend.
#include <stdexcept>

#include "conformance.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::conformance {
namespace {

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() { open(); }
  ~SqliteBackend() override { store_.reset(); }

  Store& store() override { return *store_; }
  void reopen() override {
    store_.reset();
    open();
  }
  void fail_after(std::optional<int> n) override { faults_.arm(n); }
  bool fault_fired() const override { return faults_.fired(); }

 private:
  void open() {
    SqliteOptions options;
    options.inject_fault = [this] { return faults_.should_fail(); };
    auto opened = open_sqlite_store(dir_.path() / "store.db", std::move(options));
    if (!opened) throw std::runtime_error("open: " + opened.error().describe());
    store_ = std::move(*opened);
  }

  TempDir dir_;
  FailCounter faults_;
  std::unique_ptr<Store> store_;
};

const BackendFactory sqlite_backend{"Sqlite", [] { return std::make_unique<SqliteBackend>(); }};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreCodesTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreAccountsTest, ::testing::Values(sqlite_backend),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreDevicesTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StorePreKeysTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreQueuesTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreIpsTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreKtTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreChannelsTest, ::testing::Values(sqlite_backend),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreBatchTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreFaultTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreModerationTest, ::testing::Values(sqlite_backend),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreLawfulTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreKeyPackagesTest, ::testing::Values(sqlite_backend),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreGroupsTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreLeasesTest, ::testing::Values(sqlite_backend), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSignedRequestsTest, ::testing::Values(sqlite_backend),
                         backend_name);

}  // namespace
}  // namespace bulwark::store::conformance
