// Live pushes that arrive out of queue order. On a cluster, an envelope committed on another
// node reaches this node through the bus while one committed here is pushed straight from the
// sync thread, so the later of two commits can reach the device's session first. Found by
// bench/loadgen/cluster: without the queue read on a gap, the earlier envelope was skipped as
// "already pushed" and stayed queued until the device reconnected.
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;

store::Envelope live_order_envelope(const TestDevice& from, const TestDevice& to, std::byte id,
                                    const std::string& content) {
  store::Envelope envelope;
  envelope.id.bytes.fill(id);
  envelope.destination = store::DeviceAddress{to.account, to.device};
  envelope.source_account = from.account;
  envelope.source_device = from.device;
  envelope.type = static_cast<std::uint32_t>(api::CIPHERTEXT);
  envelope.content = Bytes(content.size());
  std::memcpy(envelope.content.data(), content.data(), content.size());
  return envelope;
}

std::vector<std::string> live_order_contents(harness::FakeConnection& connection) {
  std::vector<std::string> contents;
  for (const auto& push : connection.take_pushes())
    if (push.has_envelope()) contents.push_back(push.envelope().content());
  return contents;
}

TEST(LivePushOrderTest, ALaterCommitArrivingFirstStillDeliversTheEarlierOneInOrder) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();  // QueueEmpty
  std::vector<store::Envelope> two{live_order_envelope(alice, bob, std::byte{1}, "first"),
                                   live_order_envelope(alice, bob, std::byte{2}, "second")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(two).has_value()); });
  ASSERT_EQ(two[1].seq, two[0].seq + 1);

  // The second commit's push arrives while the first's is still on the bus.
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[1]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));

  // The first's push arrives late: it was delivered already, so it is not pushed again.
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[0]));
  h.settle();
  EXPECT_TRUE(live_order_contents(*b).empty());
}

TEST(LivePushOrderTest, PushesInQueueOrderNeedNoQueueRead) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  std::vector<store::Envelope> two{live_order_envelope(alice, bob, std::byte{1}, "first"),
                                   live_order_envelope(alice, bob, std::byte{2}, "second")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(two).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[0]));
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[1]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));
}

}  // namespace
}  // namespace bulwark::server
