// Conformance under failure, Beast-style: each operation runs with its first, second, third ...
// database statement failing until it succeeds, and after every failed run nothing partial may
// be left behind.
#include <algorithm>

#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

TEST_P(StoreFaultTest, FailedEnqueueLeavesTheQueueUnchanged) {
  const DeviceAddress alice = registered(1);
  std::vector<Envelope> first{envelope(alice, 1)};
  must(store().enqueue(first));
  std::vector<Envelope> three{envelope(alice, 2), envelope(alice, 3), envelope(alice, 4)};
  const int failures = fail_each_statement([&] { return store().enqueue(three); },
                                           [&] {
                                             EXPECT_EQ(queued_ids(store(), alice),
                                                       std::vector<EnvelopeId>{envelope_id(1)});
                                             for (const Envelope& envelope : three)
                                               EXPECT_EQ(envelope.seq, 0u);
                                           });
  EXPECT_GT(failures, 0);
  EXPECT_EQ(must(store().queue_length(alice)), 4u);
  EXPECT_GT(three[0].seq, first[0].seq);
}

TEST_P(StoreFaultTest, FailedRegistrationLeavesNoAccount) {
  const int failures = fail_each_statement(
      [&] { return store().register_account(new_account(1), new_device(1)); },
      [&] {
        EXPECT_FALSE(must(store().account_by_phone(phone(1))));
        EXPECT_FALSE(must(store().account(account_id(1))));
        EXPECT_EQ(error_of(store().pre_key_counts({account_id(1), DeviceId{1}})), Errc::not_found);
      });
  EXPECT_GT(failures, 0);
  backend().reopen();
  EXPECT_EQ(must(store().pre_key_counts({account_id(1), DeviceId{1}})).pre_keys, 3u);
}

TEST_P(StoreFaultTest, FailedReRegistrationLeavesTheOldAccountWhole) {
  const DeviceAddress alice = registered(1);
  must(store().add_device(alice.account, new_device(2)));
  must(store().set_username(alice.account, "alice.01"));
  std::vector<Envelope> queue{envelope(alice, 1)};
  must(store().enqueue(queue));
  const int failures = fail_each_statement(
      [&] { return store().register_account(new_account(1, 0x06), new_device(5, 1, 1)); },
      [&] {
        const auto account = must(store().account(alice.account));
        ASSERT_TRUE(account);
        EXPECT_EQ(account->identity_key, new_account(1).identity_key);
        EXPECT_EQ(account->username, std::optional<std::string>("alice.01"));
        EXPECT_EQ(must(store().devices(alice.account)).size(), 2u);
        EXPECT_EQ(must(store().queue_length(alice)), 1u);
        EXPECT_EQ(must(store().pre_key_counts(alice)).pre_keys, 3u);
      });
  EXPECT_GT(failures, 0);
  EXPECT_EQ(must(store().devices(alice.account)).size(), 1u);
  EXPECT_EQ(must(store().queue_length(alice)), 0u);
}

TEST_P(StoreFaultTest, FailedAddDeviceAddsNothingAndUsesNoId) {
  const DeviceAddress alice = registered(1);
  const int failures =
      fail_each_statement([&] { return store().add_device(alice.account, new_device(2)); },
                          [&] { EXPECT_EQ(must(store().devices(alice.account)).size(), 1u); });
  EXPECT_GT(failures, 0);
  EXPECT_EQ(must(store().devices(alice.account)).back().id, DeviceId{2});
}

TEST_P(StoreFaultTest, FailedBundleConsumesNoKey) {
  const DeviceAddress alice = registered(1, 3, 2);
  Result<PreKeyBundle> bundle = fail(Errc::internal, "not run");
  const int failures =
      fail_each_statement([&] { return bundle = store().take_pre_key_bundle(alice); },
                          [&] {
                            const PreKeyCounts counts = must(store().pre_key_counts(alice));
                            EXPECT_EQ(counts.pre_keys, 3u);
                            EXPECT_EQ(counts.kyber_pre_keys, 2u);
                          });
  EXPECT_GT(failures, 0);
  ASSERT_TRUE(bundle);
  EXPECT_EQ(bundle->pre_key->id, 1u);
  EXPECT_EQ(bundle->kyber_pre_key.id, 1u);
  EXPECT_EQ(must(store().pre_key_counts(alice)).pre_keys, 2u);
}

TEST_P(StoreFaultTest, FailedPreKeyUploadAddsNone) {
  const DeviceAddress alice = registered(1, 1, 1);
  const std::vector<OneTimeKey> keys{{5, filled(32, 5)}, {6, filled(32, 6)}, {7, filled(32, 7)}};
  const int failures =
      fail_each_statement([&] { return store().add_pre_keys(alice, keys); },
                          [&] { EXPECT_EQ(must(store().pre_key_counts(alice)).pre_keys, 1u); });
  EXPECT_GT(failures, 0);
  EXPECT_EQ(must(store().pre_key_counts(alice)).pre_keys, 4u);
}

TEST_P(StoreFaultTest, FailedDeleteDeletesNothing) {
  const DeviceAddress alice = registered(1);
  std::vector<Envelope> queue{envelope(alice, 1), envelope(alice, 2), envelope(alice, 3)};
  must(store().enqueue(queue));
  const std::vector<std::uint64_t> seqs{queue[0].seq, queue[2].seq};
  const int failures =
      fail_each_statement([&] { return store().delete_envelopes(alice, seqs); },
                          [&] { EXPECT_EQ(must(store().queue_length(alice)), 3u); });
  EXPECT_GT(failures, 0);
  EXPECT_EQ(queued_ids(store(), alice), std::vector<EnvelopeId>{envelope_id(2)});
}

TEST_P(StoreFaultTest, FailedKtQueueUpdateQueuesNothing) {
  const std::uint64_t first = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  Result<std::uint64_t> second = fail(Errc::internal, "not run");
  const int failures = fail_each_statement(
      [&] { return second = store().kt_queue_update(kt_label(2), kt_value(2, 0)); },
      [&] {
        const auto pending = must(store().kt_pending(0, 10));
        ASSERT_EQ(pending.size(), 1u);
        EXPECT_EQ(pending[0].seq, first);
        EXPECT_EQ(must(store().kt_latest_value(kt_label(2))), std::nullopt);
      });
  EXPECT_GT(failures, 0);
  ASSERT_TRUE(second);
  EXPECT_GT(*second, first);
  EXPECT_EQ(must(store().kt_pending(0, 10)).size(), 2u);
}

TEST_P(StoreFaultTest, FailedKtPublishStoresNothingAndConsumesNothing) {
  const std::uint64_t first = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  const std::uint64_t last = must(store().kt_queue_update(kt_label(3), kt_value(3, 0)));
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(9, 0, 0)}, 0));
  const std::vector<KtVersion> versions{kt_version(1, 0, 1), kt_version(2, 0, 1),
                                        kt_version(3, 0, 1), kt_version(9, 1, 1)};
  const int failures = fail_each_statement(
      [&] { return store().kt_publish(kt_entry(1), versions, last - 1); },
      [&] {
        EXPECT_EQ(must(store().kt_entries(0, 10)), std::vector<KtEntry>{kt_entry(0)});
        EXPECT_EQ(must(store().kt_versions(0, 0, 10)),
                  std::vector<KtVersion>{kt_version(9, 0, 0)});
        EXPECT_EQ(must(store().kt_pending(0, 10)).size(), 3u);
      });
  EXPECT_GT(failures, static_cast<int>(versions.size()));
  backend().reopen();
  EXPECT_EQ(must(store().kt_entries(0, 10)).size(), 2u);
  EXPECT_EQ(must(store().kt_versions(1, 0, 10)), versions);
  const auto pending = must(store().kt_pending(0, 10));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].seq, last);
  EXPECT_GT(last, first);
}

// Each job is all or nothing whatever fails; with one commit per batch, a failure of the commit
// itself (the last statement to fail before the batch succeeds) fails every job and stores
// nothing, and with a commit per job it fails the last job alone.
TEST_P(StoreFaultTest, FailedBatchKeepsEveryJobAllOrNothing) {
  const DeviceAddress alice = registered(1);
  bool last_run_failed_every_job = false;
  for (int n = 0;; ++n) {
    ASSERT_LT(n, 200) << "the batch never succeeded";
    // Envelope ids unique to this run: jobs that did commit in earlier runs stay queued.
    const auto id_of = [n](int job) { return envelope_id(static_cast<std::uint8_t>(n), job); };
    std::vector<Store::Job> jobs;
    for (int job = 0; job < 3; ++job) {
      jobs.push_back([&, job](Store& store) -> Result<void> {
        std::vector<Envelope> one{envelope(alice, 1)};
        one[0].id = id_of(job);
        return store.enqueue(one);
      });
    }
    backend().fail_after(n);
    const auto results = store().run_batch(jobs);
    const bool fired = backend().fault_fired();
    backend().fail_after(std::nullopt);
    ASSERT_EQ(results.size(), 3u);
    backend().reopen();
    const auto queued = queued_ids(store(), alice);
    int failed = 0;
    for (int job = 0; job < 3; ++job) {
      const bool stored = std::find(queued.begin(), queued.end(), id_of(job)) != queued.end();
      EXPECT_EQ(static_cast<bool>(results[job]), stored) << "n = " << n << ", job " << job;
      failed += results[job] ? 0 : 1;
    }
    if (!fired) {
      EXPECT_EQ(failed, 0);
      break;
    }
    EXPECT_GT(failed, 0) << "statement " << n << " failed but every job succeeded";
    last_run_failed_every_job = failed == 3;
  }
  EXPECT_EQ(last_run_failed_every_job, backend().one_commit_per_batch());
}

}  // namespace
}  // namespace bulwark::store::conformance
