// Conformance: signed and one-time prekeys, and bundles that consume one-time keys once.
#include <set>

#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

TEST_P(StorePreKeysTest, CountsLeaveOutTheLastResortKey) {
  const DeviceAddress device = registered(1, 3, 2);
  const PreKeyCounts counts = must(store().pre_key_counts(device));
  EXPECT_EQ(counts.pre_keys, 3u);
  EXPECT_EQ(counts.kyber_pre_keys, 2u);
}

TEST_P(StorePreKeysTest, AddedKeysAreCountedAndAnExistingIdIsReplaced) {
  const DeviceAddress device = registered(1, 3, 2);
  const std::vector<OneTimeKey> pre_keys{{3, filled(32, 0xa3)}, {4, filled(32, 0xa4)}};
  must(store().add_pre_keys(device, pre_keys));
  const std::vector<SignedKey> kyber{signed_key(2, 0xb2), signed_key(10, 0xba)};
  must(store().add_kyber_pre_keys(device, kyber));
  const PreKeyCounts counts = must(store().pre_key_counts(device));
  EXPECT_EQ(counts.pre_keys, 4u);
  EXPECT_EQ(counts.kyber_pre_keys, 3u);
  // Keys 1 and 2 go first; then the replaced 3 comes out with its new bytes.
  must(store().take_pre_key_bundle(device));
  must(store().take_pre_key_bundle(device));
  const PreKeyBundle third = must(store().take_pre_key_bundle(device));
  ASSERT_TRUE(third.pre_key);
  EXPECT_EQ(*third.pre_key, (OneTimeKey{3, filled(32, 0xa3)}));
  EXPECT_EQ(third.kyber_pre_key, signed_key(10, 0xba));
}

TEST_P(StorePreKeysTest, BundleHoldsTheDeviceKeysAndConsumesTheLowestOneTimeKeys) {
  const NewDevice keys = new_device(1, 3, 2);
  const DeviceAddress device = registered(1, 3, 2);
  const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
  EXPECT_EQ(bundle.device, DeviceId{1});
  EXPECT_EQ(bundle.registration_id, keys.registration_id);
  EXPECT_EQ(bundle.signed_pre_key, keys.signed_pre_key);
  EXPECT_EQ(bundle.kyber_pre_key, keys.kyber_pre_keys[0]);
  EXPECT_FALSE(bundle.kyber_is_last_resort);
  ASSERT_TRUE(bundle.pre_key);
  EXPECT_EQ(*bundle.pre_key, keys.pre_keys[0]);
  const PreKeyCounts counts = must(store().pre_key_counts(device));
  EXPECT_EQ(counts.pre_keys, 2u);
  EXPECT_EQ(counts.kyber_pre_keys, 1u);
}

TEST_P(StorePreKeysTest, EveryOneTimeKeyIsHandedOutOnce) {
  const DeviceAddress device = registered(1, 20, 12);
  std::set<std::uint32_t> ec_ids;
  std::set<std::uint32_t> kyber_ids;
  for (int i = 0; i < 25; ++i) {
    const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
    if (bundle.pre_key) {
      EXPECT_TRUE(ec_ids.insert(bundle.pre_key->id).second);
    }
    if (!bundle.kyber_is_last_resort) {
      EXPECT_TRUE(kyber_ids.insert(bundle.kyber_pre_key.id).second);
    }
  }
  EXPECT_EQ(ec_ids.size(), 20u);
  EXPECT_EQ(kyber_ids.size(), 12u);
  EXPECT_EQ(*ec_ids.begin(), 1u);
  EXPECT_EQ(*ec_ids.rbegin(), 20u);
}

TEST_P(StorePreKeysTest, ConsumedKeysStayConsumedAfterReopening) {
  const DeviceAddress device = registered(1, 2, 2);
  must(store().take_pre_key_bundle(device));
  backend().reopen();
  const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
  ASSERT_TRUE(bundle.pre_key);
  EXPECT_EQ(bundle.pre_key->id, 2u);
  EXPECT_EQ(bundle.kyber_pre_key.id, 2u);
}

TEST_P(StorePreKeysTest, BundleFallsBackToTheLastResortKyberKey) {
  const NewDevice keys = new_device(1, 2, 1);
  const DeviceAddress device = registered(1, 2, 1);
  must(store().take_pre_key_bundle(device));
  const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
  EXPECT_TRUE(bundle.kyber_is_last_resort);
  EXPECT_EQ(bundle.kyber_pre_key, keys.last_resort_kyber_pre_key);
  ASSERT_TRUE(bundle.pre_key);
  EXPECT_EQ(bundle.pre_key->id, 2u);
  // The last-resort key is never consumed.
  EXPECT_TRUE(must(store().take_pre_key_bundle(device)).kyber_is_last_resort);
}

TEST_P(StorePreKeysTest, BundleWithoutOneTimeKeysHasNoPreKey) {
  const DeviceAddress device = registered(1, 0, 0);
  const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
  EXPECT_FALSE(bundle.pre_key);
  EXPECT_TRUE(bundle.kyber_is_last_resort);
}

TEST_P(StorePreKeysTest, TakingFromOneDeviceLeavesTheOthersKeys) {
  const DeviceAddress first = registered(1, 2, 2);
  const DeviceId second = must(store().add_device(first.account, new_device(2, 2, 2)));
  const DeviceAddress other = registered(3, 2, 2);
  must(store().take_pre_key_bundle(first));
  must(store().take_pre_key_bundle(first));
  EXPECT_EQ(must(store().pre_key_counts(DeviceAddress{first.account, second})).pre_keys, 2u);
  EXPECT_EQ(must(store().pre_key_counts(other)).kyber_pre_keys, 2u);
  const PreKeyBundle bundle =
      must(store().take_pre_key_bundle(DeviceAddress{first.account, second}));
  EXPECT_EQ(bundle.device, second);
  EXPECT_EQ(bundle.pre_key->public_key, new_device(2, 2, 2).pre_keys[0].public_key);
}

TEST_P(StorePreKeysTest, SignedKeysAreReplaced) {
  const DeviceAddress device = registered(1, 0, 0);
  must(store().set_signed_pre_key(device, signed_key(8, 0x80)));
  must(store().set_last_resort_kyber_pre_key(device, signed_key(100, 0x90, 1568)));
  const PreKeyBundle bundle = must(store().take_pre_key_bundle(device));
  EXPECT_EQ(bundle.signed_pre_key, signed_key(8, 0x80));
  EXPECT_EQ(bundle.kyber_pre_key, signed_key(100, 0x90, 1568));
  EXPECT_TRUE(bundle.kyber_is_last_resort);
}

TEST_P(StorePreKeysTest, UnknownDeviceIsNotFound) {
  const DeviceAddress device = registered(1);
  const DeviceAddress unknown{device.account, DeviceId{2}};
  const std::vector<OneTimeKey> pre_keys{{1, filled(32, 1)}};
  const std::vector<SignedKey> kyber{signed_key(1, 1)};
  EXPECT_EQ(error_of(store().take_pre_key_bundle(unknown)), Errc::not_found);
  EXPECT_EQ(error_of(store().pre_key_counts(unknown)), Errc::not_found);
  EXPECT_EQ(error_of(store().set_signed_pre_key(unknown, signed_key(1, 1))), Errc::not_found);
  EXPECT_EQ(error_of(store().set_last_resort_kyber_pre_key(unknown, signed_key(1, 1))),
            Errc::not_found);
  EXPECT_EQ(error_of(store().add_pre_keys(unknown, pre_keys)), Errc::not_found);
  EXPECT_EQ(error_of(store().add_kyber_pre_keys(unknown, kyber)), Errc::not_found);
  EXPECT_EQ(error_of(store().take_pre_key_bundle(DeviceAddress{account_id(9), DeviceId{1}})),
            Errc::not_found);
}

}  // namespace
}  // namespace bulwark::store::conformance
