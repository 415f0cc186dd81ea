// Conformance: MLS groups (store/group_store.h): the per-epoch compare-and-set of commits,
// the token check, fan-out into the devices' queues (all or nothing with the epoch change) and
// skipped recipients.

#include "conformance.h"
#include "store/group_store.h"

namespace bulwark::store::conformance {
namespace {

Bytes gr_id(std::uint8_t n) { return filled(16, n); }
// The hash of epoch `epoch`'s token: the store compares hashes only.
Bytes gr_hash(std::uint64_t epoch) { return filled(32, static_cast<std::uint8_t>(0xa0 + epoch)); }

Group gr_group(std::uint8_t n) { return Group{gr_id(n), 0, gr_hash(0)}; }

GroupDelivery gr_delivery(std::uint8_t n, std::uint32_t type, std::vector<DeviceAddress> to) {
  GroupDelivery delivery;
  delivery.id = envelope_id(n);
  delivery.type = type;
  delivery.content = filled(300 + n, n);
  delivery.recipients = std::move(to);
  return delivery;
}

// A send from account 0xee's device 3 in `epoch`, presenting epoch `token_epoch`'s token.
GroupSend gr_send(std::uint8_t group, std::uint64_t epoch, std::uint64_t token_epoch,
                  std::vector<GroupDelivery> deliveries) {
  GroupSend send;
  send.group_id = gr_id(group);
  send.epoch = epoch;
  send.token_hash = gr_hash(token_epoch);
  send.source_account = account_id(0xee);
  send.source_device = DeviceId{3};
  send.server_timestamp_ms = 1'700'000'000'500;
  send.client_timestamp_ms = 1'700'000'000'400;
  send.expires_at_ms = 1'800'000'000'000;
  send.deliveries = std::move(deliveries);
  return send;
}

std::size_t gr_queued(Store& store, const DeviceAddress& device) {
  return must(store.queued(device, 0, 100)).size();
}

// Three registered accounts' first devices and group 7 at epoch 0.
struct GrWorld {
  DeviceAddress alice, bob, carol;
};

DeviceAddress gr_register(Store& store, std::uint8_t n) {
  const AccountId id = must(store.register_account(new_account(n), new_device(n)));
  return DeviceAddress{id, DeviceId{1}};
}

GrWorld gr_world(Store& store) {
  GrWorld world{gr_register(store, 1), gr_register(store, 2), gr_register(store, 3)};
  must(store.create_group(gr_group(7)));
  return world;
}

// A commit to group 7 in `epoch` for alice and bob, welcoming carol.
GroupSend gr_commit(const GrWorld& w, std::uint64_t epoch, std::uint64_t token_epoch,
                    std::uint8_t tag = 1) {
  return gr_send(7, epoch, token_epoch,
                 {gr_delivery(tag, 4, {w.alice, w.bob}),
                  gr_delivery(static_cast<std::uint8_t>(tag + 100), 5, {w.carol})});
}

void gr_expect_untouched(Store& store, const GrWorld& w) {
  EXPECT_EQ(must(store.group(gr_id(7))), gr_group(7));
  EXPECT_EQ(gr_queued(store, w.alice), 0u);
  EXPECT_EQ(gr_queued(store, w.bob), 0u);
  EXPECT_EQ(gr_queued(store, w.carol), 0u);
}

TEST_P(StoreGroupsTest, AGroupIsItsIdEpochAndTokenHash) {
  must(store().create_group(gr_group(1)));
  EXPECT_EQ(must(store().group(gr_id(1))), gr_group(1));
  EXPECT_FALSE(must(store().group(gr_id(2))).has_value());
  backend().reopen();
  EXPECT_EQ(must(store().group(gr_id(1))), gr_group(1));
}

TEST_P(StoreGroupsTest, ATakenIdIsAConflict) {
  must(store().create_group(gr_group(1)));
  Group again = gr_group(1);
  again.token_hash = gr_hash(5);
  EXPECT_EQ(error_of(store().create_group(again)), Errc::conflict);
  EXPECT_EQ(must(store().group(gr_id(1))), gr_group(1));
}

TEST_P(StoreGroupsTest, IdsAndHashesAreChecked) {
  EXPECT_EQ(error_of(store().create_group(Group{filled(15, 1), 0, gr_hash(0)})),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().create_group(Group{filled(33, 1), 0, gr_hash(0)})),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().create_group(Group{filled(16, 1), 0, filled(31, 1)})),
            Errc::invalid_argument);
  must(store().create_group(Group{filled(32, 1), 0, gr_hash(0)}));
}

TEST_P(StoreGroupsTest, AnUnknownGroupIsNotFound) {
  const DeviceAddress device = registered(1);
  EXPECT_EQ(error_of(store().commit_to_group(gr_send(9, 0, 0, {}), gr_hash(1))), Errc::not_found);
  EXPECT_EQ(error_of(store().send_to_group(gr_send(9, 0, 0, {gr_delivery(1, 6, {device})}))),
            Errc::not_found);
  EXPECT_EQ(gr_queued(store(), device), 0u);
}

TEST_P(StoreGroupsTest, ACommitAdvancesTheEpochAndQueuesEveryCopy) {
  const GrWorld w = gr_world(store());
  const GroupSendOutcome outcome = must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));
  EXPECT_EQ(outcome.status, GroupSendStatus::sent);
  EXPECT_EQ(outcome.epoch, 1u);
  EXPECT_TRUE(outcome.skipped.empty());
  EXPECT_EQ(must(store().group(gr_id(7))), (Group{gr_id(7), 1, gr_hash(1)}));
  ASSERT_EQ(outcome.queued.size(), 2u);
  ASSERT_EQ(outcome.queued[0].size(), 2u);
  ASSERT_EQ(outcome.queued[1].size(), 1u);
  EXPECT_EQ(outcome.queued[0][0].device, w.alice);
  EXPECT_EQ(outcome.queued[0][1].device, w.bob);
  EXPECT_EQ(outcome.queued[1][0].device, w.carol);
  const GroupSend sent = gr_commit(w, 0, 0);
  for (std::size_t d = 0; d < 2; ++d) {
    for (const QueuedCopy& copy : outcome.queued[d]) {
      const auto queue = must(store().queued(copy.device, 0, 10));
      ASSERT_EQ(queue.size(), 1u);
      const Envelope& got = queue[0];
      const GroupDelivery& delivery = sent.deliveries[d];
      EXPECT_EQ(got.seq, copy.seq);
      EXPECT_EQ(got.id, delivery.id);
      EXPECT_EQ(got.type, delivery.type);
      EXPECT_EQ(got.content, delivery.content);
      EXPECT_EQ(got.group_id, gr_id(7));
      EXPECT_EQ(got.group_epoch, 0u);
      EXPECT_EQ(got.source_account, sent.source_account);
      EXPECT_EQ(got.source_device, sent.source_device);
      EXPECT_EQ(got.server_timestamp_ms, sent.server_timestamp_ms);
      EXPECT_EQ(got.client_timestamp_ms, sent.client_timestamp_ms);
      EXPECT_EQ(got.expires_at_ms, sent.expires_at_ms);
      EXPECT_TRUE(got.franking_tag.empty());
    }
  }
}

TEST_P(StoreGroupsTest, OfTwoCommitsInOneEpochExactlyOneWins) {
  const GrWorld w = gr_world(store());
  EXPECT_EQ(must(store().commit_to_group(gr_commit(w, 0, 0, 1), gr_hash(1))).status,
            GroupSendStatus::sent);
  const GroupSendOutcome loser = must(store().commit_to_group(gr_commit(w, 0, 0, 2), gr_hash(11)));
  EXPECT_EQ(loser.status, GroupSendStatus::stale_epoch);
  EXPECT_EQ(loser.epoch, 1u);
  EXPECT_TRUE(loser.queued.empty());
  EXPECT_EQ(must(store().group(gr_id(7))), (Group{gr_id(7), 1, gr_hash(1)}));
  EXPECT_EQ(gr_queued(store(), w.alice), 1u);
  EXPECT_EQ(gr_queued(store(), w.carol), 1u);
  // The loser retries in the new epoch, with its token.
  EXPECT_EQ(must(store().commit_to_group(gr_commit(w, 1, 1, 2), gr_hash(2))).epoch, 2u);
  EXPECT_EQ(gr_queued(store(), w.bob), 2u);
}

TEST_P(StoreGroupsTest, AReplayedCommitIsStale) {
  const GrWorld w = gr_world(store());
  must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));
  EXPECT_EQ(must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1))).status,
            GroupSendStatus::stale_epoch);
  EXPECT_EQ(gr_queued(store(), w.alice), 1u);
}

TEST_P(StoreGroupsTest, AWrongTokenChangesNothing) {
  const GrWorld w = gr_world(store());
  const GroupSendOutcome outcome = must(store().commit_to_group(gr_commit(w, 0, 3), gr_hash(1)));
  EXPECT_EQ(outcome.status, GroupSendStatus::wrong_token);
  EXPECT_EQ(outcome.epoch, 0u);
  EXPECT_TRUE(outcome.queued.empty());
  gr_expect_untouched(store(), w);
  EXPECT_EQ(must(store().send_to_group(gr_send(7, 0, 3, {gr_delivery(1, 6, {w.alice})}))).status,
            GroupSendStatus::wrong_token);
  gr_expect_untouched(store(), w);
}

TEST_P(StoreGroupsTest, AnEpochAheadIsStaleToo) {
  const GrWorld w = gr_world(store());
  const GroupSendOutcome outcome = must(store().commit_to_group(gr_commit(w, 5, 0), gr_hash(6)));
  EXPECT_EQ(outcome.status, GroupSendStatus::stale_epoch);
  EXPECT_EQ(outcome.epoch, 0u);
  gr_expect_untouched(store(), w);
}

TEST_P(StoreGroupsTest, AMessageNeedsTheCurrentEpochAndLeavesIt) {
  const GrWorld w = gr_world(store());
  must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));
  const GroupSendOutcome stale =
      must(store().send_to_group(gr_send(7, 0, 0, {gr_delivery(2, 6, {w.alice, w.bob})})));
  EXPECT_EQ(stale.status, GroupSendStatus::stale_epoch);
  EXPECT_EQ(stale.epoch, 1u);
  const GroupSendOutcome sent =
      must(store().send_to_group(gr_send(7, 1, 1, {gr_delivery(3, 7, {w.alice, w.bob})})));
  EXPECT_EQ(sent.status, GroupSendStatus::sent);
  EXPECT_EQ(sent.epoch, 1u);
  EXPECT_EQ(must(store().group(gr_id(7))), (Group{gr_id(7), 1, gr_hash(1)}));
  const auto queue = must(store().queued(w.bob, 0, 10));
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[1].type, 7u);
  EXPECT_EQ(queue[1].group_epoch, 1u);
  EXPECT_EQ(queue[1].content, gr_delivery(3, 7, {}).content);
}

TEST_P(StoreGroupsTest, MissingRecipientsAreSkippedAndListedOnce) {
  const GrWorld w = gr_world(store());
  const DeviceAddress gone_device{w.alice.account, DeviceId{9}};
  const DeviceAddress gone_account{account_id(0x44), DeviceId{1}};
  GroupSend send = gr_send(7, 0, 0,
                           {gr_delivery(1, 4, {gone_device, w.alice, gone_account, w.bob}),
                            gr_delivery(2, 5, {w.carol, gone_device})});
  const GroupSendOutcome outcome = must(store().commit_to_group(send, gr_hash(1)));
  EXPECT_EQ(outcome.status, GroupSendStatus::sent);
  EXPECT_EQ(outcome.skipped, (std::vector<DeviceAddress>{gone_device, gone_account}));
  ASSERT_EQ(outcome.queued[0].size(), 2u);
  EXPECT_EQ(outcome.queued[0][0].device, w.alice);
  EXPECT_EQ(outcome.queued[0][1].device, w.bob);
  EXPECT_EQ(outcome.queued[1].size(), 1u);
  EXPECT_EQ(gr_queued(store(), w.carol), 1u);
}

TEST_P(StoreGroupsTest, ACommitToNobodyStillAdvances) {
  gr_world(store());
  const GroupSendOutcome outcome = must(store().commit_to_group(gr_send(7, 0, 0, {}), gr_hash(1)));
  EXPECT_EQ(outcome.status, GroupSendStatus::sent);
  EXPECT_EQ(must(store().group(gr_id(7)))->epoch, 1u);
}

TEST_P(StoreGroupsTest, BadSendsAreRefusedAndChangeNothing) {
  const GrWorld w = gr_world(store());
  GroupSend twice = gr_send(7, 0, 0, {gr_delivery(1, 4, {w.alice, w.bob, w.alice})});
  EXPECT_EQ(error_of(store().commit_to_group(twice, gr_hash(1))), Errc::invalid_argument);
  GroupSend three = gr_commit(w, 0, 0);
  three.deliveries.push_back(gr_delivery(9, 4, {w.bob}));
  EXPECT_EQ(error_of(store().commit_to_group(three, gr_hash(1))), Errc::invalid_argument);
  GroupSend empty_content = gr_commit(w, 0, 0);
  empty_content.deliveries[0].content.clear();
  EXPECT_EQ(error_of(store().commit_to_group(empty_content, gr_hash(1))), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().commit_to_group(gr_commit(w, 0, 0), filled(31, 1))),
            Errc::invalid_argument);
  GroupSend short_hash = gr_commit(w, 0, 0);
  short_hash.token_hash = filled(31, 0xa0);
  EXPECT_EQ(error_of(store().send_to_group(short_hash)), Errc::invalid_argument);
  gr_expect_untouched(store(), w);
}

// Beast-style fault loop: whichever statement fails, the epoch and the queues stay as they
// were: the commit is queued exactly when the epoch advances.
TEST_P(StoreGroupsTest, ACommitIsAllOrNothingWithItsEpoch) {
  const GrWorld w = gr_world(store());
  const int failed =
      fail_each_statement([&] { return store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)); },
                          [&] { gr_expect_untouched(store(), w); });
  EXPECT_GT(failed, 5);
  EXPECT_EQ(must(store().group(gr_id(7)))->epoch, 1u);
  EXPECT_EQ(gr_queued(store(), w.alice), 1u);
  EXPECT_EQ(gr_queued(store(), w.bob), 1u);
  EXPECT_EQ(gr_queued(store(), w.carol), 1u);
}

// Two commits of one epoch that reach the server together run as jobs of one batch on its
// store thread: one wins, the other is told the epoch moved, only the winner's copies queue.
TEST_P(StoreGroupsTest, OfTwoCommitsInOneBatchExactlyOneWins) {
  const GrWorld w = gr_world(store());
  std::vector<GroupSendOutcome> outcomes;
  std::vector<Store::Job> jobs;
  for (std::uint8_t tag : {1, 2}) {
    jobs.push_back([&outcomes, &w, tag](Store& in_batch) -> Result<void> {
      auto outcome = BULWARK_TRY(
          in_batch.commit_to_group(gr_commit(w, 0, 0, tag), gr_hash(tag == 1 ? 1 : 21)));
      outcomes.push_back(std::move(outcome));
      return {};
    });
  }
  for (const Result<void>& result : store().run_batch(jobs)) EXPECT_TRUE(result.has_value());
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].status, GroupSendStatus::sent);
  EXPECT_EQ(outcomes[1].status, GroupSendStatus::stale_epoch);
  EXPECT_EQ(outcomes[1].epoch, 1u);
  EXPECT_EQ(must(store().group(gr_id(7)))->token_hash, gr_hash(1));
  const auto queue = must(store().queued(w.alice, 0, 10));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, envelope_id(1));
}

// Every copy reads back whole until it is acknowledged, however the others fare.
TEST_P(StoreGroupsTest, EachCopyLivesUntilItsOwnDeviceAcknowledgesIt) {
  const GrWorld w = gr_world(store());
  const GroupSendOutcome outcome = must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));
  const std::vector<std::uint64_t> alice_seq{outcome.queued[0][0].seq};
  EXPECT_EQ(must(store().delete_envelopes(w.alice, alice_seq)), 1u);
  backend().reopen();
  const auto queue = must(store().queued(w.bob, 0, 10));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].content, gr_commit(w, 0, 0).deliveries[0].content);
  EXPECT_EQ(gr_queued(store(), w.alice), 0u);
  EXPECT_EQ(must(store().expire_envelopes(1'800'000'000'000)), 2u);
  EXPECT_EQ(gr_queued(store(), w.bob), 0u);
}

TEST_P(StoreGroupsTest, GroupCopiesAndOneToOneEnvelopesShareTheQueueOrder) {
  const GrWorld w = gr_world(store());
  std::vector<Envelope> before{envelope(w.bob, 1)};
  must(store().enqueue(before));
  must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));
  std::vector<Envelope> after{envelope(w.bob, 2)};
  must(store().enqueue(after));
  const auto queue = must(store().queued(w.bob, 0, 10));
  ASSERT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue[0].content, before[0].content);
  EXPECT_TRUE(queue[0].group_id.empty());
  EXPECT_EQ(queue[1].group_id, gr_id(7));
  EXPECT_EQ(queue[2].content, after[0].content);
  EXPECT_LT(queue[0].seq, queue[1].seq);
  EXPECT_LT(queue[1].seq, queue[2].seq);
}

// The orphan sweep (group_store.h) frees only bytes no queued copy names: a message still
// queued for a device keeps its bytes, and the sweep goes round the table slice by slice.
TEST_P(StoreGroupsTest, TheOrphanSweepKeepsBytesAQueuedCopyStillNames) {
  const GrWorld w = gr_world(store());
  EXPECT_EQ(must(store().release_orphaned_contents(0, 10)).checked_up_to, 0u) << "nothing yet";
  must(store().commit_to_group(gr_commit(w, 0, 0), gr_hash(1)));  // two deliveries: two contents
  const OrphanSweep first = must(store().release_orphaned_contents(0, 1));
  EXPECT_EQ(first.released, 0u);
  EXPECT_GT(first.checked_up_to, 0u);
  const OrphanSweep second = must(store().release_orphaned_contents(first.checked_up_to, 1));
  EXPECT_EQ(second.released, 0u);
  EXPECT_GT(second.checked_up_to, first.checked_up_to);
  EXPECT_EQ(must(store().release_orphaned_contents(second.checked_up_to, 1)).checked_up_to, 0u)
      << "past the last: start over";
  const auto queue = must(store().queued(w.bob, 0, 10));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].content, gr_delivery(1, 4, {}).content);
  EXPECT_EQ(error_of(store().release_orphaned_contents(0, 0)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().release_orphaned_contents(0, 10'001)), Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::store::conformance
