// Conformance: MLS KeyPackages (store/group_store.h): one-time packages handed out once and in
// upload order, the last-resort package handed out without being consumed, and the bound.
#include <set>

#include "conformance.h"
#include "store/group_store.h"

namespace bulwark::store::conformance {
namespace {

// Package n of a device: bytes and digest both derive from n and `tag` (the server would hash
// the bytes; the store only needs digests that differ when the bytes do).
KeyPackage kp_package(std::uint32_t n, std::uint8_t tag = 0x10) {
  Bytes bytes = filled(200 + n, tag);
  bytes[0] = static_cast<std::byte>(n);
  bytes[1] = static_cast<std::byte>(n >> 8);
  Bytes digest = filled(32, tag);
  digest[0] = static_cast<std::byte>(n);
  digest[1] = static_cast<std::byte>(n >> 8);
  return KeyPackage{std::move(digest), std::move(bytes)};
}

std::vector<KeyPackage> kp_packages(std::uint32_t first, std::uint32_t count,
                                    std::uint8_t tag = 0x10) {
  std::vector<KeyPackage> out;
  for (std::uint32_t n = first; n < first + count; ++n) out.push_back(kp_package(n, tag));
  return out;
}

TEST_P(StoreKeyPackagesTest, ANewDeviceHasNone) {
  const DeviceAddress device = registered(1);
  const KeyPackageCounts counts = must(store().key_package_counts(device));
  EXPECT_EQ(counts.one_time, 0u);
  EXPECT_FALSE(counts.has_last_resort);
  EXPECT_FALSE(must(store().take_key_package(device)).has_value());
}

TEST_P(StoreKeyPackagesTest, OneTimePackagesGoOutOnceInUploadOrder) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, 3)));
  must(store().add_key_packages(device, kp_packages(4, 2)));
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, 5u);
  for (std::uint32_t n = 1; n <= 5; ++n) {
    const auto taken = must(store().take_key_package(device));
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->bytes, kp_package(n).bytes);
    EXPECT_FALSE(taken->last_resort);
  }
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, 0u);
  EXPECT_FALSE(must(store().take_key_package(device)).has_value());
}

TEST_P(StoreKeyPackagesTest, APackageUploadedTwiceIsStoredOnce) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, 2)));
  must(store().add_key_packages(device, kp_packages(2, 2)));
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, 3u);
}

TEST_P(StoreKeyPackagesTest, TheLastResortPackageIsHandedOutButNeverConsumed) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, 1)));
  must(store().set_last_resort_key_package(device, kp_package(90).bytes));
  EXPECT_TRUE(must(store().key_package_counts(device)).has_last_resort);
  EXPECT_FALSE(must(store().take_key_package(device))->last_resort);
  for (int i = 0; i < 3; ++i) {
    const auto taken = must(store().take_key_package(device));
    ASSERT_TRUE(taken.has_value());
    EXPECT_TRUE(taken->last_resort);
    EXPECT_EQ(taken->bytes, kp_package(90).bytes);
  }
  const KeyPackageCounts counts = must(store().key_package_counts(device));
  EXPECT_EQ(counts.one_time, 0u);
  EXPECT_TRUE(counts.has_last_resort);
  must(store().set_last_resort_key_package(device, kp_package(91).bytes));
  EXPECT_EQ(must(store().take_key_package(device))->bytes, kp_package(91).bytes);
}

TEST_P(StoreKeyPackagesTest, AnUploadPastTheBoundAddsNothing) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, max_key_packages_per_device - 1)));
  EXPECT_EQ(error_of(store().add_key_packages(device, kp_packages(1000, 2))),
            Errc::capacity_exceeded);
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, max_key_packages_per_device - 1);
  must(store().add_key_packages(device, kp_packages(1000, 1)));
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, max_key_packages_per_device);
}

TEST_P(StoreKeyPackagesTest, SizesAreChecked) {
  const DeviceAddress device = registered(1);
  const std::vector<KeyPackage> empty{KeyPackage{filled(32, 1), {}}};
  const std::vector<KeyPackage> large{
      KeyPackage{filled(32, 1), filled(max_key_package_bytes + 1, 1)}};
  const std::vector<KeyPackage> short_digest{KeyPackage{filled(31, 1), filled(10, 1)}};
  EXPECT_EQ(error_of(store().add_key_packages(device, empty)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().add_key_packages(device, large)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().add_key_packages(device, short_digest)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().set_last_resort_key_package(device, {})), Errc::invalid_argument);
  const std::vector<KeyPackage> largest{
      KeyPackage{filled(32, 2), filled(max_key_package_bytes, 2)}};
  must(store().add_key_packages(device, largest));
  EXPECT_EQ(must(store().take_key_package(device))->bytes, largest[0].bytes);
}

TEST_P(StoreKeyPackagesTest, DevicesKeepTheirOwnPackages) {
  const DeviceAddress first = registered(1);
  const DeviceAddress second{first.account, must(store().add_device(first.account, new_device(2)))};
  must(store().add_key_packages(first, kp_packages(1, 2, 0x21)));
  must(store().add_key_packages(second, kp_packages(1, 2, 0x22)));
  EXPECT_EQ(must(store().take_key_package(second))->bytes, kp_package(1, 0x22).bytes);
  EXPECT_EQ(must(store().key_package_counts(first)).one_time, 2u);
  EXPECT_EQ(must(store().take_key_package(first))->bytes, kp_package(1, 0x21).bytes);
}

TEST_P(StoreKeyPackagesTest, UnknownDeviceIsNotFound) {
  const DeviceAddress device = registered(1);
  const DeviceAddress unknown{device.account, DeviceId{2}};
  EXPECT_EQ(error_of(store().add_key_packages(unknown, kp_packages(1, 1))), Errc::not_found);
  EXPECT_EQ(error_of(store().add_key_packages(unknown, {})), Errc::not_found);
  EXPECT_EQ(error_of(store().set_last_resort_key_package(unknown, kp_package(1).bytes)),
            Errc::not_found);
  EXPECT_EQ(error_of(store().key_package_counts(unknown)), Errc::not_found);
  EXPECT_EQ(error_of(store().take_key_package(unknown)), Errc::not_found);
}

TEST_P(StoreKeyPackagesTest, ReRegistrationDropsTheOldDevicesPackages) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, 3)));
  must(store().set_last_resort_key_package(device, kp_package(90).bytes));
  must(store().register_account(new_account(1), new_device(1)));
  const KeyPackageCounts counts = must(store().key_package_counts(device));
  EXPECT_EQ(counts.one_time, 0u);
  EXPECT_FALSE(counts.has_last_resort);
  EXPECT_FALSE(must(store().take_key_package(device)).has_value());
}

TEST_P(StoreKeyPackagesTest, ConsumedPackagesStayConsumedAfterReopening) {
  const DeviceAddress device = registered(1);
  must(store().add_key_packages(device, kp_packages(1, 2)));
  must(store().take_key_package(device));
  backend().reopen();
  EXPECT_EQ(must(store().take_key_package(device))->bytes, kp_package(2).bytes);
}

// Requests that reach the server together run as jobs of one batch on its store thread (the
// store is used by one thread at a time): however they interleave, every package goes out once,
// then every taker gets the last-resort package.
TEST_P(StoreKeyPackagesTest, TakersInOneBatchNeverGetTheSamePackage) {
  const DeviceAddress device = registered(1);
  constexpr std::uint32_t stored = 60;
  must(store().add_key_packages(device, kp_packages(1, stored)));
  must(store().set_last_resort_key_package(device, kp_package(999).bytes));
  std::vector<TakenKeyPackage> taken;
  std::vector<Store::Job> jobs;
  for (std::uint32_t i = 0; i < 2 * stored; ++i) {
    jobs.push_back([&taken, device](Store& in_batch) -> Result<void> {
      auto one = BULWARK_TRY(in_batch.take_key_package(device));
      if (!one) return fail(Errc::not_found, "nothing to take");
      taken.push_back(std::move(*one));
      return {};
    });
  }
  for (const Result<void>& result : store().run_batch(jobs)) EXPECT_TRUE(result.has_value());
  ASSERT_EQ(taken.size(), 2 * stored);
  std::set<Bytes> one_time;
  for (std::uint32_t i = 0; i < 2 * stored; ++i) {
    if (i < stored) {
      EXPECT_FALSE(taken[i].last_resort);
      EXPECT_TRUE(one_time.insert(taken[i].bytes).second) << "handed out twice: package " << i;
    } else {
      EXPECT_TRUE(taken[i].last_resort);
      EXPECT_EQ(taken[i].bytes, kp_package(999).bytes);
    }
  }
  EXPECT_EQ(must(store().key_package_counts(device)).one_time, 0u);
}

}  // namespace
}  // namespace bulwark::store::conformance
