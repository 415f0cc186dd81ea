// Conformance: per-device envelope queues.
#include <limits>

#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

std::vector<EnvelopeId> ids_of(const std::vector<Envelope>& envelopes) {
  std::vector<EnvelopeId> ids;
  for (const Envelope& envelope : envelopes) ids.push_back(envelope.id);
  return ids;
}

TEST_P(StoreQueuesTest, EnvelopeReadsBackWhole) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent{envelope(device, 1)};
  must(store().enqueue(sent));
  const auto queue = must(store().queued(device, 0, 10));
  ASSERT_EQ(queue.size(), 1u);
  const Envelope& got = queue[0];
  EXPECT_EQ(got.id, sent[0].id);
  EXPECT_EQ(got.destination, device);
  EXPECT_EQ(got.source_account, sent[0].source_account);
  EXPECT_EQ(got.source_device, sent[0].source_device);
  EXPECT_EQ(got.type, sent[0].type);
  EXPECT_EQ(got.content, sent[0].content);
  EXPECT_EQ(got.server_timestamp_ms, sent[0].server_timestamp_ms);
  EXPECT_EQ(got.client_timestamp_ms, sent[0].client_timestamp_ms);
  EXPECT_EQ(got.expires_at_ms, sent[0].expires_at_ms);
  EXPECT_EQ(got.seq, sent[0].seq);
  EXPECT_TRUE(got.franking_tag.empty()) << "an unfranked envelope stays unfranked";
}

TEST_P(StoreQueuesTest, AFrankedEnvelopeKeepsItsTag) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent{envelope(device, 1)};
  sent[0].franking_tag = Bytes(32, std::byte{0x7a});
  must(store().enqueue(sent));
  const auto queue = must(store().queued(device, 0, 10));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].franking_tag, sent[0].franking_tag);
}

TEST_P(StoreQueuesTest, SeqStrictlyIncreasesPerDeviceAcrossCalls) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  std::vector<Envelope> first{envelope(alice, 1), envelope(bob, 2), envelope(alice, 3)};
  must(store().enqueue(first));
  std::vector<Envelope> second{envelope(bob, 4), envelope(alice, 5)};
  must(store().enqueue(second));
  EXPECT_GT(first[0].seq, 0u);
  EXPECT_GT(first[1].seq, 0u);
  EXPECT_LT(first[0].seq, first[2].seq);
  EXPECT_LT(first[2].seq, second[1].seq);
  EXPECT_LT(first[1].seq, second[0].seq);
  // Each device pages its own queue in that order.
  const auto alice_queue = must(store().queued(alice, 0, 10));
  ASSERT_EQ(alice_queue.size(), 3u);
  EXPECT_EQ(alice_queue[0].seq, first[0].seq);
  EXPECT_EQ(alice_queue[1].seq, first[2].seq);
  EXPECT_EQ(alice_queue[2].seq, second[1].seq);
  EXPECT_EQ(must(store().queued(bob, first[1].seq, 10)).size(), 1u);
}

TEST_P(StoreQueuesTest, AnEnqueueForAnUnknownDeviceStoresNothingAndUsesNoPosition) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress ghost{alice.account, DeviceId{99}};
  std::vector<Envelope> mixed{envelope(alice, 1), envelope(ghost, 2)};
  EXPECT_EQ(error_of(store().enqueue(mixed)), Errc::not_found);
  EXPECT_EQ(mixed[0].seq, 0u);
  EXPECT_TRUE(must(store().queued(alice, 0, 10)).empty());
  std::vector<Envelope> next{envelope(alice, 3)};
  must(store().enqueue(next));
  EXPECT_EQ(next[0].seq, 1u);
}

TEST_P(StoreQueuesTest, SeqIsNotReusedAfterTheNewestEnvelopeIsDeleted) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> first{envelope(device, 1)};
  must(store().enqueue(first));
  const std::vector<std::uint64_t> seqs{first[0].seq};
  EXPECT_EQ(must(store().delete_envelopes(device, seqs)), 1u);
  backend().reopen();
  std::vector<Envelope> second{envelope(device, 2)};
  must(store().enqueue(second));
  EXPECT_GT(second[0].seq, first[0].seq);
  // A client that acknowledged up to the first one still sees the second.
  EXPECT_EQ(must(store().queued(device, first[0].seq, 10)).size(), 1u);
}

TEST_P(StoreQueuesTest, QueuedReturnsOneDevicesEnvelopesInSeqOrder) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  const DeviceId alice_two = must(store().add_device(alice.account, new_device(3)));
  std::vector<Envelope> sent{envelope(alice, 1), envelope(bob, 2),
                             envelope({alice.account, alice_two}, 3), envelope(alice, 4)};
  must(store().enqueue(sent));
  const auto queue = must(store().queued(alice, 0, 10));
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].id, envelope_id(1));
  EXPECT_EQ(queue[1].id, envelope_id(4));
  EXPECT_LT(queue[0].seq, queue[1].seq);
}

TEST_P(StoreQueuesTest, QueuedPagesByAfterSeqAndLimit) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent;
  for (std::uint8_t n = 1; n <= 5; ++n) sent.push_back(envelope(device, n));
  must(store().enqueue(sent));
  const auto page_one = must(store().queued(device, 0, 2));
  ASSERT_EQ(page_one.size(), 2u);
  const auto page_two = must(store().queued(device, page_one.back().seq, 2));
  ASSERT_EQ(page_two.size(), 2u);
  EXPECT_EQ(page_two[0].id, envelope_id(3));
  const auto rest = must(store().queued(device, page_two.back().seq, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, envelope_id(5));
  EXPECT_TRUE(must(store().queued(device, rest[0].seq, 10)).empty());
  EXPECT_TRUE(must(store().queued(device, 0, 0)).empty());
  EXPECT_TRUE(must(store().queued(device, UINT64_MAX, 10)).empty());
}

TEST_P(StoreQueuesTest, QueuedReturnsAtMostTheCap) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent;
  for (std::uint32_t n = 0; n < max_queued_page + 5; ++n) {
    Envelope one = envelope(device, 1);
    one.id = envelope_id(static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n));
    one.content = filled(8, 1);
    sent.push_back(std::move(one));
  }
  must(store().enqueue(sent));
  EXPECT_EQ(must(store().queue_length(device)), max_queued_page + 5);
  const auto page = must(store().queued(device, 0, UINT32_MAX));
  EXPECT_EQ(page.size(), max_queued_page);
  EXPECT_EQ(must(store().queued(device, page.back().seq, UINT32_MAX)).size(), 5u);
}

TEST_P(StoreQueuesTest, EnqueueToAnUnknownDeviceStoresNothing) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent{envelope(device, 1), envelope({device.account, DeviceId{2}}, 2)};
  EXPECT_EQ(error_of(store().enqueue(sent)), Errc::not_found);
  EXPECT_EQ(must(store().queue_length(device)), 0u);
  EXPECT_EQ(sent[0].seq, 0u);
}

TEST_P(StoreQueuesTest, EmptyEnqueueSucceeds) {
  std::vector<Envelope> none;
  must(store().enqueue(none));
}

// Deletion is by queue position, and only ever of the named device's envelopes: a position
// holding another device's envelope, or nothing, is ignored.
TEST_P(StoreQueuesTest, DeleteRemovesOnlyThatDevicesEnvelopes) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  std::vector<Envelope> sent{envelope(alice, 1), envelope(alice, 2), envelope(bob, 1),
                             envelope(bob, 3)};
  must(store().enqueue(sent));
  const std::vector<std::uint64_t> seqs{sent[0].seq, sent[2].seq, sent[3].seq + 100,
                                        std::numeric_limits<std::uint64_t>::max()};
  EXPECT_EQ(must(store().delete_envelopes(alice, seqs)), 1u);
  const auto alice_queue = must(store().queued(alice, 0, 10));
  EXPECT_EQ(ids_of(alice_queue), std::vector<EnvelopeId>{envelope_id(2)});
  EXPECT_EQ(must(store().queue_length(bob)), 2u);
  EXPECT_EQ(must(store().delete_envelopes(alice, seqs)), 0u);
  EXPECT_EQ(must(store().delete_envelopes(alice, {})), 0u);
}

// An acknowledgement usually names consecutive positions, deleted a run at a time; the runs
// must cover exactly the named positions, however they are ordered or repeated.
TEST_P(StoreQueuesTest, DeleteTakesExactlyTheNamedPositionsInRuns) {
  const DeviceAddress alice = registered(1);
  std::vector<Envelope> sent;
  for (std::uint8_t i = 1; i <= 8; ++i) sent.push_back(envelope(alice, i));
  must(store().enqueue(sent));
  // Positions 1-3 and 5-6 (given out of order, one twice); 4, 7 and 8 stay.
  const std::vector<std::uint64_t> seqs{sent[5].seq, sent[0].seq, sent[2].seq,
                                        sent[1].seq, sent[4].seq, sent[0].seq};
  EXPECT_EQ(must(store().delete_envelopes(alice, seqs)), 5u);
  EXPECT_EQ(ids_of(must(store().queued(alice, 0, 10))),
            (std::vector<EnvelopeId>{envelope_id(4), envelope_id(7), envelope_id(8)}));
  const std::vector<std::uint64_t> rest{sent[7].seq, sent[6].seq, sent[3].seq};
  EXPECT_EQ(must(store().delete_envelopes(alice, rest)), 3u);
  EXPECT_EQ(must(store().queue_length(alice)), 0u);
}

TEST_P(StoreQueuesTest, QueueLengthCountsOneDevice) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  std::vector<Envelope> sent{envelope(alice, 1), envelope(alice, 2), envelope(bob, 3)};
  must(store().enqueue(sent));
  EXPECT_EQ(must(store().queue_length(alice)), 2u);
  EXPECT_EQ(must(store().queue_length(bob)), 1u);
  EXPECT_EQ(must(store().queue_length({account_id(9), DeviceId{1}})), 0u);
}

TEST_P(StoreQueuesTest, ExpiryDeletesEnvelopesDueAtOrBeforeNow) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  std::vector<Envelope> sent{envelope(alice, 1, 1'000), envelope(bob, 2, 2'000),
                             envelope(alice, 3, 2'001)};
  must(store().enqueue(sent));
  EXPECT_EQ(must(store().expire_envelopes(999)), 0u);
  EXPECT_EQ(must(store().expire_envelopes(2'000)), 2u);
  EXPECT_EQ(ids_of(must(store().queued(alice, 0, 10))), std::vector<EnvelopeId>{envelope_id(3)});
  EXPECT_EQ(must(store().queue_length(bob)), 0u);
}

TEST_P(StoreQueuesTest, QueuedEnvelopesSurviveReopening) {
  const DeviceAddress device = registered(1);
  std::vector<Envelope> sent{envelope(device, 1), envelope(device, 2)};
  must(store().enqueue(sent));
  backend().reopen();
  EXPECT_EQ(ids_of(must(store().queued(device, 0, 10))), ids_of(sent));
}

}  // namespace
}  // namespace bulwark::store::conformance
