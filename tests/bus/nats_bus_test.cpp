// NatsBus (server/bus/nats_bus.h) between nodes "A", "B" and "C" on one real nats-server:
// cross-node pushes, presence by NATS interest, channel posts once per node, displacement,
// a NATS restart, and malformed messages.
#include "server/bus/nats_bus.h"

#include <gtest/gtest.h>
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "bus/support/bus_node.h"
#include "server/bus/bus_message.h"
#include "server/bus/bus_subjects.h"
#include "support/nats_server.h"

namespace bulwark::server::bus_testing {
namespace {

using namespace std::chrono_literals;

// Polls an observable condition until it holds or the deadline passes (never a bare sleep).
template <class Condition>
bool within(std::chrono::milliseconds timeout, Condition&& condition) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

store::Envelope bus_envelope(const store::DeviceAddress& to, std::uint64_t seq,
                             std::string_view text) {
  store::Envelope envelope;
  envelope.id.bytes.fill(std::byte{static_cast<unsigned char>(seq)});
  envelope.destination = to;
  envelope.source_account.bytes.fill(std::byte{0xee});
  envelope.source_device = DeviceId(1);
  envelope.type = 1;
  envelope.content.assign(reinterpret_cast<const std::byte*>(text.data()),
                          reinterpret_cast<const std::byte*>(text.data()) + text.size());
  envelope.seq = seq;
  return envelope;
}

class NatsBusTest : public ::testing::Test {
 protected:
  testing::NatsServer nats;
  BusNode a{nats.url(), "node-a"};
  BusNode b{nats.url(), "node-b"};
};

TEST_F(NatsBusTest, ADeviceOnlineOnBReceivesWhatADelivers) {
  const auto device = test_device(1, 1);
  auto connection = b.connect(device);
  b.flush();  // B's subscription has reached NATS

  a.bus().deliver(bus_envelope(device, 10, "hello"));
  auto shared = std::make_shared<const SharedEnvelope>(
      SharedEnvelope{store::EnvelopeId{}, std::make_shared<const std::string>("group frame")});
  a.bus().deliver_shared(device, shared, 11);

  ASSERT_TRUE(within(5s, [&] { return b.local().pushes().size() == 2; }));
  const auto pushes = b.local().pushes();
  EXPECT_EQ(pushes[0].device, device);
  EXPECT_EQ(pushes[0].seq, 10u);
  EXPECT_EQ(pushes[0].what, "hello");
  EXPECT_EQ(pushes[1].seq, 11u);
  EXPECT_EQ(pushes[1].what, "group frame");
  EXPECT_EQ(a.counters().published_device, 2u);
  EXPECT_EQ(b.counters().received_device, 2u);
  EXPECT_TRUE(a.local().pushes().empty());
}

// What a session waits for before reading its queue: once the bus says B listens, a push
// from A reaches B without B flushing anything itself.
TEST_F(NatsBusTest, OnceTheBusReportsListeningAPushFromAnotherNodeArrives) {
  const auto device = test_device(1, 3);
  auto connection = b.connect(device);
  std::atomic<bool> listening{false};
  ASSERT_FALSE(b.bus().listening_now_or_later([&] { listening = true; }));
  ASSERT_TRUE(within(5s, [&] { return listening.load(); }));
  a.bus().deliver(bus_envelope(device, 4, "right after"));
  ASSERT_TRUE(within(5s, [&] { return b.local().pushes().size() == 1; }));
  EXPECT_EQ(b.counters().unconfirmed, 0u);
}

TEST(LocalBusTest, ALocalBusListensAtOnceAndNeverCallsBack) {
  Registry registry;
  ChannelHub hub;
  LocalBus local(registry, hub);
  bool called = false;
  EXPECT_TRUE(local.listening_now_or_later([&] { called = true; }));
  EXPECT_FALSE(called);
}

TEST_F(NatsBusTest, ADeviceOnTheSameNodeIsDeliveredLocallyWithoutTheBus) {
  const auto device = test_device(1, 2);
  auto connection = a.connect(device);
  a.bus().deliver(bus_envelope(device, 5, "local"));
  ASSERT_EQ(a.local().pushes().size(), 1u);
  EXPECT_EQ(a.local().pushes()[0].what, "local");
  EXPECT_EQ(a.counters().published_device, 0u);
}

TEST_F(NatsBusTest, ADeviceOnlineNowhereGetsNothingAndNoNodeHoldsASubscriptionForIt) {
  const auto device = test_device(2, 1);
  auto connection = b.connect(device);
  b.disconnect(device, connection);
  b.flush();
  EXPECT_EQ(b.counters().subscriptions, 0u);  // B let go of the device: NATS has no interest

  a.bus().deliver(bus_envelope(device, 1, "to nobody"));
  a.flush();
  b.flush();
  // A handed it to NATS once and kept nothing; NATS had no subscriber, so nobody got it (the
  // device drains its queue from the store when it connects again).
  EXPECT_EQ(a.counters().published_device, 1u);
  EXPECT_EQ(a.counters().subscriptions, 0u);
  EXPECT_EQ(b.counters().received_device, 0u);
  EXPECT_TRUE(b.local().pushes().empty());
  EXPECT_TRUE(connection->frames().empty());
}

TEST_F(NatsBusTest, EachDeviceSeesItsPushesInSeqOrder) {
  const auto device = test_device(3, 1);
  auto connection = b.connect(device);
  b.flush();
  constexpr std::uint64_t count = 500;
  for (std::uint64_t seq = 1; seq <= count; ++seq)
    a.bus().deliver(bus_envelope(device, seq, "m" + std::to_string(seq)));
  ASSERT_TRUE(within(10s, [&] { return b.local().pushes().size() == count; }));
  const auto pushes = b.local().pushes();
  for (std::uint64_t i = 0; i < count; ++i) EXPECT_EQ(pushes[i].seq, i + 1);
}

TEST_F(NatsBusTest, AChannelPostReachesEverySubscriberOnBAndCAndCrossesOncePerNode) {
  BusNode c{nats.url(), "node-c"};
  const auto channel = test_channel(7);
  std::vector<std::shared_ptr<RecordingConnection>> on_b, on_c;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    on_b.push_back(b.connect(test_device(10, i)));
    b.bus().join_channel(channel, on_b.back());
  }
  for (std::uint32_t i = 1; i <= 2; ++i) {
    on_c.push_back(c.connect(test_device(11, i)));
    c.bus().join_channel(channel, on_c.back());
  }
  auto on_a = a.connect(test_device(12, 1));
  a.bus().join_channel(channel, on_a);
  b.flush();
  c.flush();
  a.flush();

  EXPECT_EQ(a.bus().publish(channel, std::make_shared<const std::string>("post 1")), 1u);
  const auto got_it = [](const std::shared_ptr<RecordingConnection>& connection) {
    return connection->frames() == std::vector<std::string>{"post 1"};
  };
  ASSERT_TRUE(within(5s, [&] {
    return std::all_of(on_b.begin(), on_b.end(), got_it) &&
           std::all_of(on_c.begin(), on_c.end(), got_it);
  }));
  EXPECT_TRUE(got_it(on_a));  // A's own subscriber, locally
  // One message on the bus for the post, one arriving at each other node: not one per
  // subscriber.
  EXPECT_EQ(a.counters().published_channel, 1u);
  EXPECT_EQ(b.counters().received_channel, 1u);
  EXPECT_EQ(c.counters().received_channel, 1u);
  // No echo: A never gets its own post back. B's next post reaches A's subscriber after
  // anything NATS could still have had for it (one subscription keeps its order).
  b.bus().publish(channel, std::make_shared<const std::string>("sentinel"));
  ASSERT_TRUE(within(5s, [&] { return on_a->frames().size() >= 2; }));
  EXPECT_EQ(on_a->frames(), (std::vector<std::string>{"post 1", "sentinel"}));
  EXPECT_EQ(a.counters().received_channel, 1u);  // the sentinel only
}

TEST_F(NatsBusTest, ANodeSubscribesToAChannelOnceAndLetsGoWithItsLastSubscriber) {
  const auto channel = test_channel(8);
  auto first = b.connect(test_device(20, 1));
  auto second = b.connect(test_device(20, 2));
  const std::uint64_t devices = b.counters().subscriptions;
  b.bus().join_channel(channel, first);
  b.bus().join_channel(channel, second);
  EXPECT_EQ(b.counters().subscriptions, devices + 1);  // one for the channel, not two
  b.bus().leave_channel(channel, first.get());
  EXPECT_EQ(b.counters().subscriptions, devices + 1);
  b.disconnect(test_device(20, 2), second);
  b.flush();
  EXPECT_EQ(b.counters().subscriptions, devices - 1);  // channel and the second device gone

  a.bus().publish(channel, std::make_shared<const std::string>("after"));
  a.flush();
  b.flush();
  EXPECT_EQ(b.counters().received_channel, 0u);
  EXPECT_TRUE(first->frames().empty());
}

TEST_F(NatsBusTest, ADeviceConnectingOnBDisplacesItsConnectionOnA) {
  const auto device = test_device(30, 1);
  auto old_connection = a.connect(device);
  a.flush();
  auto new_connection = b.connect(device);
  ASSERT_TRUE(within(5s, [&] { return !old_connection->closed_reason().empty(); }));
  EXPECT_EQ(old_connection->closed_reason(), "connected elsewhere");
  EXPECT_EQ(a.counters().displaced_here, 1u);
  EXPECT_TRUE(new_connection->closed_reason().empty());  // its own displacement is not echoed
  EXPECT_EQ(b.counters().received_displace, 0u);

  // The old connection goes (as DeviceSession::stop does); pushes now go to B only.
  a.disconnect(device, old_connection);
  b.flush();
  a.bus().deliver(bus_envelope(device, 1, "to the new node"));
  ASSERT_TRUE(within(5s, [&] { return b.local().pushes().size() == 1; }));
  EXPECT_TRUE(a.local().pushes().empty());
}

TEST_F(NatsBusTest, AReRegisteredAccountsDeviceIsClosedOnTheNodeItIsConnectedTo) {
  const auto device = test_device(31, 1);
  auto connection = b.connect(device);
  b.flush();
  a.bus().close_replaced_device(device);
  ASSERT_TRUE(within(5s, [&] { return !connection->closed_reason().empty(); }));
  EXPECT_EQ(connection->closed_reason(), "account re-registered");
  EXPECT_EQ(a.counters().published_control, 1u);
}

TEST_F(NatsBusTest, ASubscriptionMadeOnAReachesTheAccountsDeviceOnB) {
  const auto device = test_device(32, 2);
  const auto channel = test_channel(32);
  auto connection = b.connect(device);
  b.flush();
  a.bus().channel_interest_elsewhere(device, channel, true);
  // B subscribed to the channel for its device (the device's subscription was the first).
  ASSERT_TRUE(within(5s, [&] { return b.counters().subscriptions == 2; }));
  b.flush();  // and the subscription has reached NATS
  a.bus().publish(channel, std::make_shared<const std::string>("now pushed on B"));
  ASSERT_TRUE(within(5s, [&] { return connection->frames().size() == 1; }));

  a.bus().channel_interest_elsewhere(device, channel, false);
  ASSERT_TRUE(within(5s, [&] { return b.counters().subscriptions == 1; }));
  EXPECT_EQ(b.counters().received_control, 2u);
  b.flush();
  a.bus().publish(channel, std::make_shared<const std::string>("not any more"));
  a.flush();
  b.flush();
  EXPECT_EQ(connection->frames(), std::vector<std::string>{"now pushed on B"});
}

TEST_F(NatsBusTest, DeliveryResumesAfterNatsRestarts) {
  const auto device = test_device(40, 1);
  const auto channel = test_channel(40);
  auto connection = b.connect(device);
  b.bus().join_channel(channel, connection);
  b.flush();

  nats.stop();
  ASSERT_TRUE(within(5s, [&] { return !a.bus().connected() && !b.bus().connected(); }));
  nats.start();
  ASSERT_TRUE(within(10s, [&] { return a.bus().connected() && b.bus().connected(); }));
  // The reconnected callback runs on a libnats thread, a moment after the status changes.
  EXPECT_TRUE(
      within(5s, [&] { return a.counters().reconnects >= 1 && b.counters().reconnects >= 1; }));
  b.flush();  // libnats sent B's subscriptions again on reconnect; now NATS has them

  a.bus().deliver(bus_envelope(device, 2, "after the restart"));
  a.bus().publish(channel, std::make_shared<const std::string>("post after the restart"));
  ASSERT_TRUE(within(
      5s, [&] { return b.local().pushes().size() == 1 && connection->frames().size() == 1; }));
  EXPECT_EQ(b.local().pushes()[0].what, "after the restart");
  EXPECT_EQ(connection->frames()[0], "post after the restart");
}

// Raw bytes published on `subject` by a plain NATS client, as a broken or hostile peer would.
void publish_raw(const std::string& url, const std::string& subject, const Bytes& data) {
  natsConnection* raw = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&raw, url.c_str()), NATS_OK);
  EXPECT_EQ(
      natsConnection_Publish(raw, subject.c_str(), data.data(), static_cast<int>(data.size())),
      NATS_OK);
  EXPECT_EQ(natsConnection_FlushTimeout(raw, 5000), NATS_OK);
  natsConnection_Destroy(raw);
}

TEST_F(NatsBusTest, AMalformedBusMessageIsCountedAndDroppedAndDeliveryGoesOn) {
  const auto device = test_device(50, 1);
  auto connection = b.connect(device);
  b.flush();
  publish_raw(nats.url(), device_subject(device), Bytes{std::byte{1}, std::byte{1}, std::byte{0}});
  publish_raw(nats.url(), device_subject(device), Bytes(3000, std::byte{0xff}));
  // Well-formed, but for another device than the subject it came on.
  publish_raw(nats.url(), device_subject(device),
              encode_bus_envelope(bus_envelope(test_device(51, 1), 1, "elsewhere")).value());
  ASSERT_TRUE(within(5s, [&] { return b.counters().dropped_malformed == 3; }));
  EXPECT_TRUE(b.local().pushes().empty());

  a.bus().deliver(bus_envelope(device, 9, "still works"));
  ASSERT_TRUE(within(5s, [&] { return b.local().pushes().size() == 1; }));
}

TEST(NatsBusConnectTest, NoNatsAtStartIsANetworkErrorAndABadNodeIdIsRefused) {
  Registry registry;
  ChannelHub hub;
  LocalBus local(registry, hub);
  NatsBusOptions options;
  options.url = "nats://127.0.0.1:1";  // nothing listens on port 1
  options.node_id = "node";
  options.connect_timeout = 500ms;
  auto unreachable = NatsBus::connect(local, options);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, Errc::network);
  options.node_id = "";
  EXPECT_EQ(NatsBus::connect(local, options).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::server::bus_testing
