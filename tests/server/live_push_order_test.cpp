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

// Alice sends to Bob, whose device is connected and has read its (empty) queue.
class LivePushOrderTest : public ::testing::Test {
 protected:
  LivePushOrderTest()
      : alice_(h_.add_account("+12015550123")),
        bob_(h_.add_account("+12015550124")),
        b_(h_.authenticated(bob_)) {
    (void)b_->take_pushes();  // QueueEmpty
  }

  // An envelope from Alice to Bob, not queued (its seq is 0 until set or enqueued).
  store::Envelope to_bob(std::byte id, const std::string& content) {
    return live_order_envelope(alice_, bob_, id, content);
  }
  // Envelopes queued for Bob in this order, with their positions.
  std::vector<store::Envelope> queued(std::vector<store::Envelope> envelopes) {
    h_.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(envelopes).has_value()); });
    return envelopes;
  }
  // Its live push reaches Bob's session (from this node's sync thread or through the bus).
  void arrives(const store::Envelope& envelope) {
    b_->session().on_envelope(std::make_shared<const store::Envelope>(envelope));
  }
  std::vector<store::Envelope> queued_first_and_second() {
    return queued({to_bob(std::byte{1}, "first"), to_bob(std::byte{2}, "second")});
  }
  // What Bob's device got since the last call, after everything queued ran.
  std::vector<std::string> delivered() {
    h_.settle();
    return live_order_contents(*b_);
  }
  using Contents = std::vector<std::string>;

  ServerHarness h_;
  TestDevice alice_, bob_;
  std::shared_ptr<harness::FakeConnection> b_;
};

TEST_F(LivePushOrderTest, ALaterCommitArrivingFirstStillDeliversTheEarlierOneInOrder) {
  const auto two = queued_first_and_second();
  ASSERT_EQ(two[1].seq, two[0].seq + 1);

  // The second commit's push arrives while the first's is still on the bus.
  arrives(two[1]);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));

  // The first's push arrives late: it was delivered already, so it is not pushed again.
  arrives(two[0]);
  EXPECT_TRUE(delivered().empty());
}

TEST_F(LivePushOrderTest, PushesInQueueOrderNeedNoQueueRead) {
  const auto two = queued_first_and_second();
  arrives(two[0]);
  arrives(two[1]);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));
}

TEST_F(LivePushOrderTest, TheMissingPushArrivingLiveReleasesTheHeldOneWithoutTheQueueRead) {
  // Never queued: the queue read finds neither, so only the live pushes can deliver them.
  auto first = to_bob(std::byte{1}, "first");
  auto second = to_bob(std::byte{2}, "second");
  first.seq = 1;
  second.seq = 2;
  arrives(second);
  arrives(first);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));
  EXPECT_EQ(h_.metrics_.live_pushes_out_of_order.load(), 1u);
  EXPECT_EQ(h_.metrics_.live_pushes_reordered.load(), 1u);
}

TEST_F(LivePushOrderTest, BothArrivingBeforeTheQueueReadAnswersArePushedOnce) {
  const auto two = queued_first_and_second();
  arrives(two[1]);
  h_.wait_until_store_idle();  // the queue read ran; its answer waits on the strand
  arrives(two[0]);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));
  EXPECT_EQ(h_.metrics_.queue_reads_for_gap.load(), 1u);
  EXPECT_EQ(h_.metrics_.live_pushes_reordered.load(), 1u);
}

TEST_F(LivePushOrderTest, AMissingPushThatNeverArrivesFallsBackToTheQueueRead) {
  const auto two = queued_first_and_second();
  arrives(two[1]);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));
  EXPECT_EQ(h_.metrics_.queue_reads_for_gap.load(), 1u);
  EXPECT_EQ(h_.metrics_.live_pushes_reordered.load(), 0u);
}

// A group's shared copies take the same path: held, then released in order.
TEST_F(LivePushOrderTest, SharedCopiesOutOfOrderArePushedInOrder) {
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
  b_->session().on_shared_envelope(shared_copy(std::byte{2}, "second"), 2);
  b_->session().on_shared_envelope(shared_copy(std::byte{1}, "first"), 1);
  EXPECT_EQ(delivered(), (Contents{"first", "second"}));
  EXPECT_EQ(h_.metrics_.live_pushes_reordered.load(), 1u);
}

// The read started for one gap ran before the next gap's positions were committed: it cannot
// have them, so a second read follows rather than waiting for a push that may never come.
TEST_F(LivePushOrderTest, AGapOpenedAfterTheQueueReadRanIsReadAgain) {
  const auto early = queued({to_bob(std::byte{1}, "1"), to_bob(std::byte{2}, "2")});
  arrives(early[1]);
  h_.wait_until_store_idle();  // the read ran and found 1 and 2
  const auto late = queued({to_bob(std::byte{3}, "3"), to_bob(std::byte{4}, "4")});
  arrives(late[1]);
  EXPECT_EQ(delivered(), (Contents{"1", "2", "3", "4"}));
  EXPECT_EQ(h_.metrics_.queue_reads_for_gap.load(), 1u);
}

// A held push whose position a complete read no longer finds (expired meanwhile) is dropped,
// not waited for: the session does not read its queue again and again.
TEST_F(LivePushOrderTest, AHeldPushTheQueueNoLongerHasIsDropped) {
  auto gone = to_bob(std::byte{2}, "gone");
  gone.seq = 2;
  arrives(gone);
  EXPECT_TRUE(delivered().empty());
  EXPECT_EQ(h_.metrics_.queue_reads_for_gap.load(), 1u);
  // The next envelope committed is pushed straight away.
  arrives(queued({to_bob(std::byte{3}, "next")})[0]);
  EXPECT_EQ(delivered(), (Contents{"next"}));
}

// At most 16 pushes are held: beyond that the bus has clearly lost something, and the queue
// read delivers every envelope, in order and once.
TEST_F(LivePushOrderTest, MoreEarlyPushesThanTheHoldTakesAreDeliveredByTheRead) {
  std::vector<store::Envelope> many;
  for (std::uint8_t n = 1; n <= 18; ++n)
    many.push_back(to_bob(std::byte{n}, std::to_string(static_cast<int>(n))));
  const auto queue = queued(std::move(many));
  for (std::size_t i = 1; i < queue.size(); ++i) arrives(queue[i]);  // all but the first
  Contents expected;
  for (int n = 1; n <= 18; ++n) expected.push_back(std::to_string(n));
  EXPECT_EQ(delivered(), expected);
  EXPECT_EQ(h_.metrics_.live_pushes_out_of_order.load(), 17u);
}

// Held pushes next in line wait, like any push, while the device has its limit of pushes
// unacknowledged: they are dropped from the hold, and the read after the acknowledgements
// brings them.
TEST(LivePushHoldTest, HeldPushesWaitForAcknowledgementsLikeAnyPush) {
  ServerConfig config;
  config.max_unacked_envelopes = 2;
  ServerHarness h(config);
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto b = h.authenticated(bob);
  (void)b->take_pushes();  // QueueEmpty
  std::vector<store::Envelope> four;
  for (std::uint8_t n = 1; n <= 4; ++n)
    four.push_back(
        live_order_envelope(alice, bob, std::byte{n}, std::to_string(static_cast<int>(n))));
  h.with_store([&](store::Store& store) { ASSERT_TRUE(store.enqueue(four).has_value()); });
  for (std::size_t i = 1; i < four.size(); ++i)
    b->session().on_envelope(std::make_shared<const store::Envelope>(four[i]));
  h.settle();
  api::Frame ack;
  std::vector<std::string> first;
  for (const auto& push : b->take_pushes()) {
    if (!push.has_envelope()) continue;
    ack.mutable_ack()->add_envelope_ids(push.envelope().id());
    first.push_back(push.envelope().content());
  }
  EXPECT_EQ(first, (std::vector<std::string>{"1", "2"})) << "no more than two unacknowledged";
  h.send_frame(*b, ack);
  h.settle();
  EXPECT_EQ(live_order_contents(*b), (std::vector<std::string>{"3", "4"}));
}

}  // namespace
}  // namespace bulwark::server
