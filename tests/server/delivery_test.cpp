#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;
using harness::text_of;

api::Request send_request(const TestDevice& to, std::vector<std::pair<std::uint32_t, std::uint32_t>> devices,
                          const std::string& content) {
  api::Request request;
  request.mutable_send()->set_recipient(text_of(to.account));
  for (auto [device, registration] : devices) {
    auto* envelope = request.mutable_send()->add_envelopes();
    envelope->set_device_id(device);
    envelope->set_registration_id(registration);
    envelope->set_type(api::CIPHERTEXT);
    envelope->set_content(content);
  }
  return request;
}

std::vector<std::string> pushed_contents(harness::FakeConnection& connection) {
  std::vector<std::string> contents;
  for (const auto& push : connection.take_pushes())
    if (push.has_envelope()) contents.push_back(push.envelope().content());
  return contents;
}

void ack_all(ServerHarness& h, harness::FakeConnection& connection, const std::vector<api::Push>& pushes) {
  api::Frame ack;
  for (const auto& push : pushes)
    if (push.has_envelope()) ack.mutable_ack()->add_envelope_ids(push.envelope().id());
  h.send_frame(connection, ack);
}

TEST(DeliveryTest, SendIsAnsweredAfterCommitAndPushedToTheOnlineRecipient) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  api::Response response = h.call(*a, send_request(bob, {{1, 7}}, "ciphertext-1"));
  ASSERT_EQ(response.status(), api::OK) << response.message();
  EXPECT_EQ(h.queue_length(bob), 1u);  // durable before the OK
  auto pushes = b->take_pushes();
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].envelope().content(), "ciphertext-1");
  EXPECT_EQ(pushes[0].envelope().source_device(), 1u);
  EXPECT_EQ(pushes[0].envelope().source_account(), text_of(alice.account));
  ack_all(h, *b, pushes);
  EXPECT_EQ(h.queue_length(bob), 0u);
}

TEST(DeliveryTest, OfflineQueueDrainsInOrderThenQueueEmpty) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(h.call(*a, send_request(bob, {{1, 7}}, "m" + std::to_string(i))).status(), api::OK);
  auto b = h.authenticated(bob);
  auto pushes = b->take_pushes();
  std::vector<std::string> contents;
  for (const auto& push : pushes)
    if (push.has_envelope()) contents.push_back(push.envelope().content());
  ASSERT_EQ(contents.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(contents[static_cast<std::size_t>(i)], "m" + std::to_string(i));
  EXPECT_TRUE(pushes.back().has_queue_empty());
}

TEST(DeliveryTest, UnacknowledgedEnvelopesStayQueuedAndComeAgainOnReconnect) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  ASSERT_EQ(h.call(*a, send_request(bob, {{1, 7}}, "keep me")).status(), api::OK);
  auto b1 = h.authenticated(bob);
  EXPECT_EQ(pushed_contents(*b1), std::vector<std::string>{"keep me"});
  auto b2 = h.authenticated(bob);  // the first connection died without acknowledging
  EXPECT_EQ(pushed_contents(*b2), std::vector<std::string>{"keep me"});
  EXPECT_EQ(h.queue_length(bob), 1u);
}

TEST(DeliveryTest, AtMostTheWindowIsUnacknowledgedAtOnce) {
  ServerConfig config;
  config.max_unacked_envelopes = 3;
  ServerHarness h(config);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(h.call(*a, send_request(bob, {{1, 7}}, std::to_string(i))).status(), api::OK);
  auto b = h.authenticated(bob);
  std::vector<std::string> seen;
  for (int round = 0; round < 10 && seen.size() < 10; ++round) {
    auto pushes = b->take_pushes();
    std::size_t envelopes = 0;
    for (const auto& push : pushes)
      if (push.has_envelope()) { ++envelopes; seen.push_back(push.envelope().content()); }
    EXPECT_LE(envelopes, 3u);
    ack_all(h, *b, pushes);
  }
  ASSERT_EQ(seen.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], std::to_string(i));
  EXPECT_EQ(h.queue_length(bob), 0u);
}

TEST(DeliveryTest, WrongDeviceListIsAnsweredWithMissingAndExtraAndStoresNothing) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto bob2 = h.add_device(bob);
  auto a = h.authenticated(alice);
  api::Response response = h.call(*a, send_request(bob, {{1, 7}, {5, 1}}, "x"));
  ASSERT_EQ(response.status(), api::MISMATCHED_DEVICES);
  EXPECT_EQ(std::vector<std::uint32_t>(response.mismatched_devices().missing_devices().begin(),
                                       response.mismatched_devices().missing_devices().end()),
            std::vector<std::uint32_t>{bob2.device.value()});
  EXPECT_EQ(std::vector<std::uint32_t>(response.mismatched_devices().extra_devices().begin(),
                                       response.mismatched_devices().extra_devices().end()),
            std::vector<std::uint32_t>{5});
  EXPECT_EQ(h.queue_length(bob), 0u);
  EXPECT_EQ(h.queue_length(bob2), 0u);
}

TEST(DeliveryTest, ReRegisteredDeviceIsStale) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  api::Response response = h.call(*a, send_request(bob, {{1, 99}}, "x"));
  ASSERT_EQ(response.status(), api::STALE_DEVICES);
  EXPECT_EQ(response.stale_devices().stale_devices(0), 1u);
  EXPECT_EQ(h.queue_length(bob), 0u);
}

TEST(DeliveryTest, EachDeviceHasItsOwnQueue) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto bob2 = h.add_device(bob);
  auto a = h.authenticated(alice);
  ASSERT_EQ(h.call(*a, send_request(bob, {{1, 7}, {bob2.device.value(), 8}}, "both")).status(), api::OK);
  auto b1 = h.authenticated(bob);
  auto pushes = b1->take_pushes();
  ack_all(h, *b1, pushes);
  EXPECT_EQ(h.queue_length(bob), 0u);
  EXPECT_EQ(h.queue_length(bob2), 1u);
}

TEST(DeliveryTest, ADeviceAddressesItsAccountsOtherDevicesButNotItself) {
  ServerHarness h;
  auto bob = h.add_account("+12015550124");
  auto bob2 = h.add_device(bob);
  auto b1 = h.authenticated(bob);
  EXPECT_EQ(h.call(*b1, send_request(bob, {{bob2.device.value(), 8}}, "sync")).status(), api::OK);
  EXPECT_EQ(h.call(*b1, send_request(bob, {{1, 7}, {bob2.device.value(), 8}}, "self")).status(),
            api::MISMATCHED_DEVICES);
}

TEST(DeliveryTest, OversizeAndUnknownRecipientAreRefused) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  EXPECT_EQ(h.call(*a, send_request(bob, {{1, 7}}, std::string(256 * 1024 + 1, 'x'))).status(), api::TOO_LARGE);
  TestDevice ghost;
  ghost.account.bytes.fill(std::byte{0x55});
  EXPECT_EQ(h.call(*a, send_request(ghost, {{1, 7}}, "x")).status(), api::NOT_FOUND);
  EXPECT_EQ(h.queue_length(bob), 0u);
}

TEST(DeliveryTest, SendsPerAccountAreRateLimited) {
  ServerConfig config;
  config.sends_per_account = {2, std::chrono::hours(1)};
  ServerHarness h(config);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  EXPECT_EQ(h.call(*a, send_request(bob, {{1, 7}}, "1")).status(), api::OK);
  EXPECT_EQ(h.call(*a, send_request(bob, {{1, 7}}, "2")).status(), api::OK);
  api::Response limited = h.call(*a, send_request(bob, {{1, 7}}, "3"));
  EXPECT_EQ(limited.status(), api::RATE_LIMITED);
  EXPECT_GT(limited.retry_after_ms(), 0u);
  EXPECT_EQ(h.queue_length(bob), 2u);
}

}  // namespace
}  // namespace bulwark::server
