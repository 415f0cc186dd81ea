// Conformance: leases, the duties one node of a cluster does for all (store.h "leases").
#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

const Bytes node_a{std::byte{0xa1}, std::byte{0x01}};
const Bytes node_b{std::byte{0xb2}, std::byte{0x02}};

TEST_P(StoreLeasesTest, AFreeLeaseIsTakenAndItsHolderRenewsIt) {
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 1'000, 11'000)));
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 5'000, 15'000)));
}

TEST_P(StoreLeasesTest, ARunningLeaseIsRefusedToAnotherHolderUntilItExpires) {
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 1'000, 11'000)));
  EXPECT_FALSE(must(store().take_lease("kt-publisher", node_b, 10'999, 20'000)));
  // The refusal changed nothing: a still holds it, and it still expires at 11,000.
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 10'000, 11'000 + 1)));
  EXPECT_FALSE(must(store().take_lease("kt-publisher", node_b, 11'000, 21'000)));
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_b, 11'001, 21'000)));
  EXPECT_FALSE(must(store().take_lease("kt-publisher", node_a, 12'000, 22'000)));
}

TEST_P(StoreLeasesTest, LeasesOfDifferentNamesAreIndependent) {
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 1'000, 11'000)));
  EXPECT_TRUE(must(store().take_lease("maintenance", node_b, 1'000, 11'000)));
  EXPECT_FALSE(must(store().take_lease("maintenance", node_a, 2'000, 12'000)));
}

TEST_P(StoreLeasesTest, ALeaseOutlivesAReopen) {
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 1'000, 11'000)));
  backend().reopen();
  EXPECT_FALSE(must(store().take_lease("kt-publisher", node_b, 2'000, 12'000)));
}

TEST_P(StoreLeasesTest, BadNamesHoldersAndTimesAreRefused) {
  EXPECT_EQ(error_of(store().take_lease("", node_a, 1, 2)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().take_lease(std::string(max_lease_name_bytes + 1, 'n'), node_a, 1, 2)),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().take_lease("x", Bytes{}, 1, 2)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().take_lease("x", Bytes(max_lease_holder_bytes + 1), 1, 2)),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().take_lease("x", node_a, 5, 5)), Errc::invalid_argument);
  EXPECT_TRUE(must(store().take_lease("x", node_b, 5, 6)));
}

TEST_P(StoreLeasesTest, AFailedTakeLeavesTheLeaseAsItWas) {
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_a, 1'000, 11'000)));
  backend().fail_after(0);
  EXPECT_FALSE(store().take_lease("kt-publisher", node_a, 2'000, 50'000));
  EXPECT_TRUE(backend().fault_fired());
  // Still a's until 11,000, as before the failed renewal.
  EXPECT_FALSE(must(store().take_lease("kt-publisher", node_b, 10'999, 21'000)));
  EXPECT_TRUE(must(store().take_lease("kt-publisher", node_b, 11'000, 21'000)));
}

}  // namespace
}  // namespace bulwark::store::conformance
