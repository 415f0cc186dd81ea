// Conformance: the rolling window of recent IP addresses.
#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

TEST_P(StoreIpsTest, OneRowPerAddressKeepsFirstAndLastSeen) {
  const DeviceAddress alice = registered(1);
  must(store().record_ip(alice.account, "192.0.2.1", 1'000));
  must(store().record_ip(alice.account, "192.0.2.1", 3'000));
  must(store().record_ip(alice.account, "192.0.2.1", 2'000));
  const auto ips = must(store().recent_ips(alice.account));
  ASSERT_EQ(ips.size(), 1u);
  EXPECT_EQ(ips[0].ip, "192.0.2.1");
  EXPECT_EQ(ips[0].first_seen_ms, 1'000);
  EXPECT_EQ(ips[0].last_seen_ms, 3'000);
}

TEST_P(StoreIpsTest, AnEarlierSightingMovesFirstSeenBack) {
  const DeviceAddress alice = registered(1);
  must(store().record_ip(alice.account, "192.0.2.1", 5'000));
  must(store().record_ip(alice.account, "192.0.2.1", 4'000));
  const auto ips = must(store().recent_ips(alice.account));
  ASSERT_EQ(ips.size(), 1u);
  EXPECT_EQ(ips[0].first_seen_ms, 4'000);
  EXPECT_EQ(ips[0].last_seen_ms, 5'000);
}

TEST_P(StoreIpsTest, SightingsAreListedMostRecentFirstPerAccount) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  must(store().record_ip(alice.account, "192.0.2.1", 1'000));
  must(store().record_ip(alice.account, "2001:db8::1", 2'000));
  must(store().record_ip(bob.account, "192.0.2.1", 3'000));
  const auto ips = must(store().recent_ips(alice.account));
  ASSERT_EQ(ips.size(), 2u);
  EXPECT_EQ(ips[0].ip, "2001:db8::1");
  EXPECT_EQ(ips[1].ip, "192.0.2.1");
  EXPECT_EQ(ips[1].last_seen_ms, 1'000);
  EXPECT_TRUE(must(store().recent_ips(account_id(9))).empty());
}

TEST_P(StoreIpsTest, PruneDeletesWhatWasLastSeenBeforeTheCutoff) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  must(store().record_ip(alice.account, "192.0.2.1", 1'000));
  must(store().record_ip(alice.account, "192.0.2.1", 9'000));  // seen again: stays
  must(store().record_ip(alice.account, "192.0.2.2", 4'999));
  must(store().record_ip(bob.account, "192.0.2.3", 5'000));
  EXPECT_EQ(must(store().prune_ips(5'000)), 1u);
  EXPECT_EQ(must(store().recent_ips(alice.account)).size(), 1u);
  EXPECT_EQ(must(store().recent_ips(bob.account)).size(), 1u);
  EXPECT_EQ(must(store().prune_ips(5'000)), 0u);
}

TEST_P(StoreIpsTest, RecentIpsAreCapped) {
  const DeviceAddress alice = registered(1);
  // One batch: a thousand sightings share one commit.
  std::vector<Store::Job> jobs{[&](Store& batch) -> Result<void> {
    for (std::uint32_t n = 0; n < max_recent_ips + 3; ++n) {
      const std::string ip = "10.0." + std::to_string(n >> 8) + "." + std::to_string(n & 0xff);
      BULWARK_TRY(batch.record_ip(alice.account, ip, static_cast<std::int64_t>(n)));
    }
    return {};
  }};
  must(std::move(store().run_batch(jobs).at(0)));
  const auto ips = must(store().recent_ips(alice.account));
  ASSERT_EQ(ips.size(), max_recent_ips);
  EXPECT_EQ(ips[0].last_seen_ms, static_cast<std::int64_t>(max_recent_ips + 2));
}

TEST_P(StoreIpsTest, SightingsSurviveReRegistration) {
  const DeviceAddress alice = registered(1);
  must(store().record_ip(alice.account, "192.0.2.1", 1'000));
  registered(1);
  EXPECT_EQ(must(store().recent_ips(alice.account)).size(), 1u);
}

TEST_P(StoreIpsTest, BadSightingsAreRejected) {
  const DeviceAddress alice = registered(1);
  EXPECT_EQ(error_of(store().record_ip(account_id(9), "192.0.2.1", 1'000)), Errc::not_found);
  EXPECT_EQ(error_of(store().record_ip(alice.account, "", 1'000)), Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::store::conformance
