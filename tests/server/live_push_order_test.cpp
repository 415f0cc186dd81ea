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

TEST(LivePushOrderTest, TheMissingPushArrivingLiveReleasesTheHeldOneWithoutTheQueueRead) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  // Never queued: the queue read finds neither, so only the live pushes can deliver them.
  auto first = live_order_envelope(alice, bob, std::byte{1}, "first");
  auto second = live_order_envelope(alice, bob, std::byte{2}, "second");
  first.seq = 1;
  second.seq = 2;
  b->session().on_envelope(std::make_shared<const store::Envelope>(second));
  b->session().on_envelope(std::make_shared<const store::Envelope>(first));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(h.metrics_.live_pushes_out_of_order.load(), 1u);
  EXPECT_EQ(h.metrics_.live_pushes_reordered.load(), 1u);
}

TEST(LivePushOrderTest, BothArrivingBeforeTheQueueReadAnswersArePushedOnce) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  std::vector<store::Envelope> two{live_order_envelope(alice, bob, std::byte{1}, "first"),
                                   live_order_envelope(alice, bob, std::byte{2}, "second")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(two).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[1]));
  h.wait_until_store_idle();  // the queue read ran; its answer waits on the strand
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[0]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(h.metrics_.queue_reads_for_gap.load(), 1u);
  EXPECT_EQ(h.metrics_.live_pushes_reordered.load(), 1u);
}

TEST(LivePushOrderTest, AMissingPushThatNeverArrivesFallsBackToTheQueueRead) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  std::vector<store::Envelope> two{live_order_envelope(alice, bob, std::byte{1}, "first"),
                                   live_order_envelope(alice, bob, std::byte{2}, "second")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(two).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(two[1]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(h.metrics_.queue_reads_for_gap.load(), 1u);
  EXPECT_EQ(h.metrics_.live_pushes_reordered.load(), 0u);
}

// A group's shared copies take the same path: held, then released in order.
TEST(LivePushOrderTest, SharedCopiesOutOfOrderArePushedInOrder) {
  ServerHarness h;
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  const auto shared_copy = [](std::byte id, const std::string& content) {
    api::Frame frame;
    api::Envelope* envelope = frame.mutable_push()->mutable_envelope();
    SharedEnvelope copy;
    copy.id.bytes.fill(id);
    envelope->set_id(copy.id.bytes.data(), copy.id.bytes.size());
    envelope->set_content(content);
    copy.frame = std::make_shared<const std::string>(frame.SerializeAsString());
    return std::make_shared<const SharedEnvelope>(std::move(copy));
  };
  b->session().on_shared_envelope(shared_copy(std::byte{2}, "second"), 2);
  b->session().on_shared_envelope(shared_copy(std::byte{1}, "first"), 1);
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(h.metrics_.live_pushes_reordered.load(), 1u);
}

// The read started for one gap ran before the next gap's positions were committed: it cannot
// have them, so a second read follows rather than waiting for a push that may never come.
TEST(LivePushOrderTest, AGapOpenedAfterTheQueueReadRanIsReadAgain) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  std::vector<store::Envelope> early{live_order_envelope(alice, bob, std::byte{1}, "1"),
                                     live_order_envelope(alice, bob, std::byte{2}, "2")};
  std::vector<store::Envelope> late{live_order_envelope(alice, bob, std::byte{3}, "3"),
                                    live_order_envelope(alice, bob, std::byte{4}, "4")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(early).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(early[1]));
  h.wait_until_store_idle();  // the read ran and found 1 and 2
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(late).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(late[1]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(h.metrics_.queue_reads_for_gap.load(), 1u);
}

// A held push whose position a complete read no longer finds (expired meanwhile) is dropped,
// not waited for: the session does not read its queue again and again.
TEST(LivePushOrderTest, AHeldPushTheQueueNoLongerHasIsDropped) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  auto gone = live_order_envelope(alice, bob, std::byte{2}, "gone");
  gone.seq = 2;
  b->session().on_envelope(std::make_shared<const store::Envelope>(gone));
  h.settle();
  EXPECT_TRUE(live_order_contents(*b).empty());
  EXPECT_EQ(h.metrics_.queue_reads_for_gap.load(), 1u);
  // The next envelope committed is pushed straight away.
  std::vector<store::Envelope> next{live_order_envelope(alice, bob, std::byte{3}, "next")};
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(next).has_value()); });
  b->session().on_envelope(std::make_shared<const store::Envelope>(next[0]));
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"next"}));
}

}  // namespace
}  // namespace bulwark::server
