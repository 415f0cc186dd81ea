// Two nodes on one store with NatsBus between them (ServerHarness::join_cluster) and a real
// nats-server: the handlers' live pushes, displacement and channel posts cross nodes.
#include <chrono>
#include <thread>

#include "channel/entry.h"
#include "server/support/harness.h"
#include "support/nats_server.h"

namespace bulwark::server {
namespace {

using harness::FakeConnection;
using harness::ServerHarness;
using harness::TestDevice;
using harness::text_of;

// Settles both nodes until `condition` holds; pushes from the other node arrive on a libnats
// thread, so this polls with a deadline.
template <class Condition>
bool cluster_eventually(ServerHarness& h, Condition&& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    h.settle();
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

api::Request cluster_send(const TestDevice& to, const std::string& content) {
  api::Request request;
  request.mutable_send()->set_recipient(text_of(to.account));
  auto* envelope = request.mutable_send()->add_envelopes();
  envelope->set_device_id(to.device.value());
  envelope->set_registration_id(to.registration.value());
  envelope->set_type(api::CIPHERTEXT);
  envelope->set_content(content);
  return request;
}

std::vector<std::string> cluster_envelopes(FakeConnection& connection) {
  std::vector<std::string> contents;
  for (const auto& push : connection.take_pushes())
    if (push.has_envelope()) contents.push_back(push.envelope().content());
  return contents;
}

TEST(ClusterDeliveryTest, ASendOnNodeAIsPushedToTheRecipientOnNodeB) {
  testing::NatsServer nats;
  ServerHarness h;
  h.join_cluster(nats.url());
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto on_a = h.authenticated(alice);
  auto on_b = h.authenticated_on_b(bob);
  // B's session reads the queue once NATS has its subscription, then says QueueEmpty: from then
  // on a new envelope can only come as a push.
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (const auto& push : on_b->take_pushes())
      if (push.has_queue_empty()) return true;
    return false;
  }));

  ASSERT_EQ(h.call(*on_a, cluster_send(bob, "across nodes")).status(), api::OK);
  std::vector<std::string> got;
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (auto& content : cluster_envelopes(*on_b)) got.push_back(content);
    return !got.empty();
  }));
  EXPECT_EQ(got, std::vector<std::string>{"across nodes"});
  EXPECT_EQ(h.bus_a().counters().published_device, 1u);
  EXPECT_EQ(h.bus_b().counters().received_device, 1u);
}

store::Envelope late_push_envelope(const TestDevice& from, const TestDevice& to, std::uint8_t tag,
                                   const std::string& content) {
  store::Envelope envelope;
  envelope.id.bytes[0] = std::byte{tag};
  envelope.destination = {to.account, to.device};
  envelope.source_account = from.account;
  envelope.source_device = from.device;
  envelope.type = api::CIPHERTEXT;
  const auto* begin = reinterpret_cast<const std::byte*>(content.data());
  envelope.content.assign(begin, begin + content.size());
  return envelope;
}

// Nodes commit a device's envelopes in seq order but publish them on separate NATS
// connections, so a push can arrive after one with a higher seq (the SIGKILL cluster e2e test
// saw it). It must still be pushed, not dropped as "pushed already" until the next reconnect:
// the higher one leaves a gap, so the session reads its queue, which gives both in seq order.
TEST(ClusterDeliveryTest, APushArrivingAfterAHigherSeqOneIsStillDelivered) {
  testing::NatsServer nats;
  ServerConfig config;
  config.bus = "nats";
  ServerHarness h(config);
  h.join_cluster(nats.url());
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto on_b = h.authenticated_on_b(bob);
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (const auto& push : on_b->take_pushes())
      if (push.has_queue_empty()) return true;
    return false;
  }));

  std::vector<store::Envelope> committed = {late_push_envelope(alice, bob, 1, "lower seq"),
                                            late_push_envelope(alice, bob, 2, "higher seq")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(committed)); });
  ASSERT_LT(committed[0].seq, committed[1].seq);
  store::Envelope higher = committed[1];
  store::Envelope lower = committed[0];
  h.bus_a().deliver(std::move(higher));  // published by node A in this order: B sees it so
  h.bus_a().deliver(std::move(lower));
  std::vector<std::string> got;
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (auto& content : cluster_envelopes(*on_b)) got.push_back(content);
    return got.size() >= 2;
  })) << "got only " << got.size() << " push(es)";
  EXPECT_EQ(got, (std::vector<std::string>{"lower seq", "higher seq"}));

  // Acknowledged, neither comes again; the queue is empty.
  api::Frame ack;
  for (const store::Envelope& envelope : committed) {
    ack.mutable_ack()->add_envelope_ids(reinterpret_cast<const char*>(envelope.id.bytes.data()),
                               envelope.id.bytes.size());
  }
  h.send_frame(*on_b, ack);
  h.settle();
  EXPECT_EQ(h.queue_length(bob), 0u);
}

TEST(ClusterDeliveryTest, ADeviceAuthenticatingOnNodeBClosesItsConnectionOnNodeA) {
  testing::NatsServer nats;
  ServerHarness h;
  h.join_cluster(nats.url());
  auto bob = h.add_account("+12015550124");
  auto first = h.authenticated(bob);
  ASSERT_TRUE(h.bus_a().flush(std::chrono::seconds(5)));
  auto second = h.authenticated_on_b(bob);
  ASSERT_TRUE(cluster_eventually(h, [&] { return first->closed_; }));
  EXPECT_EQ(first->close_reason_, "connected elsewhere");
  EXPECT_FALSE(second->closed_);
}

std::string cluster_text(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string cluster_channel_entry(const crypto::Ed25519KeyPair& key, std::uint64_t seq,
                                  channel::EntryKind kind, const std::string& text) {
  channel::Entry entry;
  entry.channel = channel::channel_id_for_key(key.public_key.bytes());
  entry.seq = seq;
  entry.time_ms = 1000 + static_cast<std::int64_t>(seq);
  entry.kind = kind;
  if (kind == channel::EntryKind::create)
    entry.profile = {"crossing", "Crossing", "", false, to_bytes(key.public_key.bytes())};
  else
    entry.text = text;
  EXPECT_TRUE(channel::sign_with_channel_key(entry, key.secret_key));
  return cluster_text(channel::encode_entry(entry).value());
}

TEST(ClusterDeliveryTest, AChannelPostOnNodeAReachesASubscriberOnNodeB) {
  testing::NatsServer nats;
  ServerHarness h;
  h.join_cluster(nats.url());
  testing::SeededRng rng{5};
  const crypto::Ed25519KeyPair key = crypto::ed25519_keypair(rng);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto on_a = h.authenticated(alice);
  auto on_b = h.authenticated_on_b(bob);
  api::Request create;
  create.mutable_channel_create()->set_create_entry(
      cluster_channel_entry(key, 1, channel::EntryKind::create, ""));
  ASSERT_EQ(h.call(*on_a, create).status(), api::OK);
  api::Request subscribe;
  subscribe.mutable_channel_subscribe()->set_handle("crossing");
  ASSERT_EQ(h.call(*on_b, subscribe).status(), api::OK);
  (void)on_b->take_pushes();
  ASSERT_TRUE(h.bus_b().flush(std::chrono::seconds(5)));

  api::Request append;
  append.mutable_channel_append()->set_entry(
      cluster_channel_entry(key, 2, channel::EntryKind::post, "to every node"));
  ASSERT_EQ(h.call(*on_a, append).status(), api::OK);
  std::vector<api::ChannelPush> got;
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (const auto& push : on_b->take_pushes())
      if (push.has_channel_entry()) got.push_back(push.channel_entry());
    return !got.empty();
  }));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].entry().seq(), 2u);
  EXPECT_EQ(h.bus_a().counters().published_channel, 1u);
  EXPECT_EQ(h.bus_b().counters().received_channel, 1u);
}

TEST(ClusterDeliveryTest, SubscribingOnNodeAAlsoSubscribesTheAccountsDeviceOnNodeB) {
  testing::NatsServer nats;
  ServerHarness h;
  h.join_cluster(nats.url());
  testing::SeededRng rng{6};
  const crypto::Ed25519KeyPair key = crypto::ed25519_keypair(rng);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto bob_second = h.add_device(bob);
  auto alice_on_a = h.authenticated(alice);
  auto bob_on_a = h.authenticated(bob);
  auto bob_second_on_b = h.authenticated_on_b(bob_second);
  ASSERT_TRUE(h.bus_b().flush(std::chrono::seconds(5)));
  api::Request create;
  create.mutable_channel_create()->set_create_entry(
      cluster_channel_entry(key, 1, channel::EntryKind::create, ""));
  ASSERT_EQ(h.call(*alice_on_a, create).status(), api::OK);
  api::Request subscribe;
  subscribe.mutable_channel_subscribe()->set_handle("crossing");
  ASSERT_EQ(h.call(*bob_on_a, subscribe).status(), api::OK);
  // B joins bob's second device to the channel and subscribes for it.
  ASSERT_TRUE(cluster_eventually(h, [&] { return h.bus_b().counters().subscriptions == 2; }));
  ASSERT_TRUE(h.bus_b().flush(std::chrono::seconds(5)));

  api::Request append;
  append.mutable_channel_append()->set_entry(
      cluster_channel_entry(key, 2, channel::EntryKind::post, "to both of bob's devices"));
  ASSERT_EQ(h.call(*alice_on_a, append).status(), api::OK);
  int on_b = 0;
  ASSERT_TRUE(cluster_eventually(h, [&] {
    for (const auto& push : bob_second_on_b->take_pushes()) on_b += push.has_channel_entry();
    return on_b > 0;
  }));
  EXPECT_EQ(on_b, 1);
}

}  // namespace
}  // namespace bulwark::server
