// Conformance: devices and their ids.
#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

TEST_P(StoreDevicesTest, DeviceFieldsReadBack) {
  const DeviceAddress first = registered(1);
  const NewDevice added = new_device(4);
  const DeviceId id = must(store().add_device(first.account, added));
  const auto device = must(store().device(first.account, id));
  ASSERT_TRUE(device);
  EXPECT_EQ(device->id, id);
  EXPECT_EQ(device->registration_id, added.registration_id);
  EXPECT_EQ(device->auth_key, added.auth_key);
  EXPECT_EQ(device->name, added.name);
  EXPECT_EQ(device->created_at_ms, added.created_at_ms);
}

TEST_P(StoreDevicesTest, AddedDevicesTakeTheNextIds) {
  const DeviceAddress first = registered(1);
  EXPECT_EQ(must(store().add_device(first.account, new_device(2))), DeviceId{2});
  EXPECT_EQ(must(store().add_device(first.account, new_device(3))), DeviceId{3});
  const DeviceAddress other = registered(2);
  EXPECT_EQ(must(store().add_device(other.account, new_device(4))), DeviceId{2});
}

TEST_P(StoreDevicesTest, DevicesAreListedInIdOrder) {
  const DeviceAddress first = registered(1);
  must(store().add_device(first.account, new_device(2)));
  must(store().add_device(first.account, new_device(3)));
  registered(2);
  const auto devices = must(store().devices(first.account));
  ASSERT_EQ(devices.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(devices[i].id, DeviceId{i + 1});
  EXPECT_EQ(devices[1].auth_key, filled(32, 2));
}

// What a send is checked against: the same devices, in order, with their registration ids.
TEST_P(StoreDevicesTest, RegistrationsListTheDevicesInIdOrder) {
  const DeviceAddress first = registered(1);
  const NewDevice second = new_device(2);
  const NewDevice third = new_device(3);
  must(store().add_device(first.account, second));
  must(store().add_device(first.account, third));
  registered(2);
  const auto registrations = must(store().device_registrations(first.account));
  ASSERT_EQ(registrations.size(), 3u);
  const auto devices = must(store().devices(first.account));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(registrations[i].id, devices[i].id);
    EXPECT_EQ(registrations[i].registration_id, devices[i].registration_id);
  }
  EXPECT_EQ(registrations[1].registration_id, second.registration_id);
  EXPECT_EQ(registrations[2].registration_id, third.registration_id);
  EXPECT_EQ(error_of(store().device_registrations(account_id(9))), Errc::not_found);
}

TEST_P(StoreDevicesTest, ReRegistrationStartsDeviceIdsOverAtOne) {
  const DeviceAddress first = registered(1);
  must(store().add_device(first.account, new_device(2)));
  must(store().add_device(first.account, new_device(3)));
  registered(1);
  EXPECT_EQ(must(store().add_device(first.account, new_device(4))), DeviceId{2});
  EXPECT_EQ(must(store().devices(first.account)).size(), 2u);
}

TEST_P(StoreDevicesTest, AddingToAnUnknownAccountIsNotFound) {
  EXPECT_EQ(error_of(store().add_device(account_id(9), new_device(1))), Errc::not_found);
  EXPECT_EQ(error_of(store().devices(account_id(9))), Errc::not_found);
}

TEST_P(StoreDevicesTest, UnknownDeviceIsAbsent) {
  const DeviceAddress first = registered(1);
  EXPECT_FALSE(must(store().device(first.account, DeviceId{2})));
  EXPECT_FALSE(must(store().device(account_id(9), DeviceId{1})));
}

TEST_P(StoreDevicesTest, AddedDeviceBringsItsPreKeys) {
  const DeviceAddress first = registered(1);
  const DeviceId id = must(store().add_device(first.account, new_device(2, 5, 4)));
  const PreKeyCounts counts = must(store().pre_key_counts(DeviceAddress{first.account, id}));
  EXPECT_EQ(counts.pre_keys, 5u);
  EXPECT_EQ(counts.kyber_pre_keys, 4u);
}

}  // namespace
}  // namespace bulwark::store::conformance
