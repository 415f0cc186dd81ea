// The KeyPackage directory (docs/GROUPS.md "Delivery service (server)"): uploads, counts and
// takes, one package per device with one-time packages consumed once.
#include <set>

#include "api/limits.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;
using harness::text_of;

std::string kp_bytes(int n, std::size_t size = 300) {
  std::string bytes(size, static_cast<char>('a' + n % 26));
  bytes[0] = static_cast<char>(n);
  bytes[1] = static_cast<char>(n >> 8);
  return bytes;
}

api::Request kp_upload(int first, int count, const std::string& last_resort = "") {
  api::Request request;
  auto* upload = request.mutable_upload_key_packages();
  for (int n = first; n < first + count; ++n) upload->add_key_packages(kp_bytes(n));
  upload->set_last_resort_key_package(last_resort);
  return request;
}

api::Request kp_take(const TestDevice& of, std::uint32_t device = 0) {
  api::Request request;
  request.mutable_take_key_packages()->set_account_id(text_of(of.account));
  request.mutable_take_key_packages()->set_device_id(device);
  return request;
}

api::KeyPackageCounts kp_counts(ServerHarness& h, harness::FakeConnection& connection) {
  api::Request request;
  request.mutable_get_key_package_counts();
  api::Response response = h.call(connection, request);
  EXPECT_EQ(response.status(), api::OK) << response.message();
  return response.key_package_counts();
}

TEST(KeyPackagesTest, UploadedPackagesAreTakenOnceThenTheLastResortOne) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  ASSERT_EQ(h.call(*a, kp_upload(1, 2, kp_bytes(99))).status(), api::OK);
  EXPECT_EQ(kp_counts(h, *a).key_packages(), 2u);
  EXPECT_TRUE(kp_counts(h, *a).has_last_resort());
  for (int n = 1; n <= 3; ++n) {
    api::Response response = h.call(*b, kp_take(alice));
    ASSERT_EQ(response.status(), api::OK) << response.message();
    ASSERT_EQ(response.key_packages().key_packages_size(), 1);
    const api::DeviceKeyPackage& got = response.key_packages().key_packages(0);
    EXPECT_EQ(got.device_id(), 1u);
    EXPECT_EQ(got.key_package(), n <= 2 ? kp_bytes(n) : kp_bytes(99));
    EXPECT_EQ(got.last_resort(), n == 3);
    EXPECT_EQ(response.key_packages().missing_devices_size(), 0);
  }
  EXPECT_EQ(kp_counts(h, *a).key_packages(), 0u);
  EXPECT_TRUE(kp_counts(h, *a).has_last_resort());
}

TEST(KeyPackagesTest, EveryDeviceButTheAskerGetsOneAndOnesWithoutAreMissing) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto alice2 = h.add_device(alice);
  auto alice3 = h.add_device(alice);
  auto a1 = h.authenticated(alice);
  auto a2 = h.authenticated(alice2);
  ASSERT_EQ(h.call(*a1, kp_upload(1, 1)).status(), api::OK);
  ASSERT_EQ(h.call(*a2, kp_upload(10, 1)).status(), api::OK);
  // Alice's first device adds her other devices to a group: its own package is not taken.
  api::Response response = h.call(*a1, kp_take(alice));
  ASSERT_EQ(response.status(), api::OK) << response.message();
  ASSERT_EQ(response.key_packages().key_packages_size(), 1);
  EXPECT_EQ(response.key_packages().key_packages(0).device_id(), alice2.device.value());
  EXPECT_EQ(response.key_packages().key_packages(0).key_package(), kp_bytes(10));
  ASSERT_EQ(response.key_packages().missing_devices_size(), 1);
  EXPECT_EQ(response.key_packages().missing_devices(0), alice3.device.value());
  EXPECT_EQ(kp_counts(h, *a1).key_packages(), 1u);
  // One device only.
  response = h.call(*a2, kp_take(alice, 1));
  ASSERT_EQ(response.key_packages().key_packages_size(), 1);
  EXPECT_EQ(response.key_packages().key_packages(0).key_package(), kp_bytes(1));
}

TEST(KeyPackagesTest, TakersInOneBatchNeverGetTheSamePackage) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto a = h.authenticated(alice);
  ASSERT_EQ(h.call(*a, kp_upload(1, 3, kp_bytes(99))).status(), api::OK);
  std::vector<std::shared_ptr<harness::FakeConnection>> takers;
  for (int i = 0; i < 4; ++i)
    takers.push_back(h.authenticated(h.add_account("+1201555020" + std::to_string(i))));
  // The four requests reach the store thread together, as jobs of one batch.
  for (std::size_t i = 0; i < takers.size(); ++i) {
    api::Frame frame;
    *frame.mutable_request() = kp_take(alice);
    frame.mutable_request()->set_id(100 + i);
    takers[i]->session().on_message(frame.SerializeAsString());
  }
  h.settle();
  std::set<std::string> one_time;
  int last_resort = 0;
  for (std::size_t i = 0; i < takers.size(); ++i) {
    auto response = takers[i]->take_response(100 + i);
    ASSERT_TRUE(response.has_value());
    ASSERT_EQ(response->status(), api::OK) << response->message();
    const api::DeviceKeyPackage& got = response->key_packages().key_packages(0);
    if (got.last_resort()) {
      ++last_resort;
    } else {
      EXPECT_TRUE(one_time.insert(got.key_package()).second) << "a package went out twice";
    }
  }
  EXPECT_EQ(one_time.size(), 3u);
  EXPECT_EQ(last_resort, 1);
}

TEST(KeyPackagesTest, BoundsAreEnforcedAndARefusedUploadStoresNothing) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto a = h.authenticated(alice);
  EXPECT_EQ(h.call(*a, kp_upload(1, api::max_key_packages_per_upload + 1)).status(),
            api::BAD_REQUEST);
  api::Request empty = kp_upload(1, 1);
  empty.mutable_upload_key_packages()->add_key_packages("");
  EXPECT_EQ(h.call(*a, empty).status(), api::TOO_LARGE);
  api::Request large = kp_upload(1, 1);
  large.mutable_upload_key_packages()->add_key_packages(
      std::string(api::max_key_package_bytes + 1, 'x'));
  EXPECT_EQ(h.call(*a, large).status(), api::TOO_LARGE);
  api::Request large_last_resort =
      kp_upload(1, 0, std::string(api::max_key_package_bytes + 1, 'x'));
  EXPECT_EQ(h.call(*a, large_last_resort).status(), api::TOO_LARGE);
  EXPECT_EQ(kp_counts(h, *a).key_packages(), 0u);
  ASSERT_EQ(h.call(*a, kp_upload(1, 100)).status(), api::OK);
  api::Response over = h.call(*a, kp_upload(200, 1, kp_bytes(99)));
  EXPECT_EQ(over.status(), api::BAD_REQUEST);
  EXPECT_EQ(kp_counts(h, *a).key_packages(), 100u);
  EXPECT_FALSE(kp_counts(h, *a).has_last_resort()) << "the refused upload stored nothing";
  // The same packages again are stored once: the count stays.
  EXPECT_EQ(h.call(*a, kp_upload(1, 100)).status(), api::OK);
  EXPECT_EQ(kp_counts(h, *a).key_packages(), 100u);
}

TEST(KeyPackagesTest, UnknownAccountsAndDevicesAreNotFound) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto a = h.authenticated(alice);
  TestDevice ghost;
  ghost.account.bytes.fill(std::byte{0x55});
  EXPECT_EQ(h.call(*a, kp_take(ghost)).status(), api::NOT_FOUND);
  EXPECT_EQ(h.call(*a, kp_take(alice, 7)).status(), api::NOT_FOUND);
  api::Request bad;
  bad.mutable_take_key_packages()->set_account_id("short");
  EXPECT_EQ(h.call(*a, bad).status(), api::BAD_REQUEST);
}

TEST(KeyPackagesTest, TakesAreRateLimitedLikePreKeyBundles) {
  ServerConfig config;
  config.lookups_per_account = {2, std::chrono::hours(1)};
  ServerHarness h(config);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  EXPECT_EQ(h.call(*b, kp_take(alice)).status(), api::OK);
  EXPECT_EQ(h.call(*b, kp_take(alice)).status(), api::OK);
  api::Response limited = h.call(*b, kp_take(alice));
  EXPECT_EQ(limited.status(), api::RATE_LIMITED);
  EXPECT_GT(limited.retry_after_ms(), 0u);
}

}  // namespace
}  // namespace bulwark::server
