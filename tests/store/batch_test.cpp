// Conformance: group commit. Jobs run in one transaction, each undone alone when it fails.
#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

Store::Job enqueue_job(const DeviceAddress& to, std::uint8_t n) {
  return [to, n](Store& store) -> Result<void> {
    std::vector<Envelope> one{envelope(to, n)};
    return store.enqueue(one);
  };
}

// Enqueues envelope `n`, then fails: its write must go with it.
Store::Job enqueue_then_fail_job(const DeviceAddress& to, std::uint8_t n) {
  return [to, n](Store& store) -> Result<void> {
    std::vector<Envelope> one{envelope(to, n)};
    BULWARK_TRY(store.enqueue(one));
    return fail(Errc::rate_limited, "job gives up");
  };
}

TEST_P(StoreBatchTest, FailingJobIsUndoneAloneAndTheOthersCommitDurably) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{
      enqueue_job(alice, 1),
      enqueue_then_fail_job(alice, 2),
      [&](Store& store) { return store.set_username(alice.account, "alice.01"); },
  };
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]);
  EXPECT_EQ(error_of(results[1]), Errc::rate_limited);
  EXPECT_TRUE(results[2]);
  backend().reopen();
  EXPECT_EQ(queued_ids(store(), alice), std::vector<EnvelopeId>{envelope_id(1)});
  EXPECT_EQ(must(store().account(alice.account))->username, std::optional<std::string>("alice.01"));
}

TEST_P(StoreBatchTest, JobWhoseStoreCallFailsLeavesTheOthersCommitted) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{enqueue_job(alice, 1),
                               enqueue_job(DeviceAddress{alice.account, DeviceId{5}}, 2),
                               enqueue_job(alice, 3)};
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]);
  EXPECT_EQ(error_of(results[1]), Errc::not_found);
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(3)}));
}

TEST_P(StoreBatchTest, LaterJobsSeeEarlierJobsWrites) {
  AccountId id;
  std::vector<Store::Job> jobs{
      [&](Store& store) -> Result<void> {
        const AccountId created =
            BULWARK_TRY(store.register_account(new_account(1), new_device(1)));
        id = created;
        return {};
      },
      [&](Store& store) -> Result<void> {
        const DeviceId added = BULWARK_TRY(store.add_device(id, new_device(2)));
        if (added != DeviceId{2}) return fail(Errc::internal, "unexpected device id");
        return {};
      },
  };
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0]);
  EXPECT_TRUE(results[1]);
  backend().reopen();
  EXPECT_EQ(must(store().devices(account_id(1))).size(), 2u);
}

TEST_P(StoreBatchTest, EmptyBatchHasNoResults) {
  std::vector<Store::Job> none;
  EXPECT_TRUE(store().run_batch(none).empty());
}

TEST_P(StoreBatchTest, EmptyJobIsInvalidAndTheOthersStillRun) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{Store::Job{}, enqueue_job(alice, 1)};
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(error_of(results[0]), Errc::invalid_argument);
  EXPECT_TRUE(results[1]);
  EXPECT_EQ(must(store().queue_length(alice)), 1u);
}

TEST_P(StoreBatchTest, BatchRunByAJobNestsInsideIt) {
  const DeviceAddress alice = registered(1);
  std::vector<Result<void>> inner_results;
  std::vector<Store::Job> jobs{
      [&](Store& store) -> Result<void> {
        std::vector<Store::Job> inner{
            enqueue_job(alice, 1), [](Store&) { return Result<void>(fail(Errc::conflict, "no")); }};
        inner_results = store.run_batch(inner);
        return {};
      },
      [](Store&) { return Result<void>(fail(Errc::conflict, "outer job fails")); },
  };
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0]);
  EXPECT_FALSE(results[1]);
  ASSERT_EQ(inner_results.size(), 2u);
  EXPECT_TRUE(inner_results[0]);
  EXPECT_FALSE(inner_results[1]);
  backend().reopen();
  EXPECT_EQ(queued_ids(store(), alice), std::vector<EnvelopeId>{envelope_id(1)});
}

TEST_P(StoreBatchTest, ManySendsCommitTogether) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  std::vector<Store::Job> jobs;
  for (std::uint8_t n = 1; n <= 50; ++n) jobs.push_back(enqueue_job(n % 2 ? alice : bob, n));
  for (const Result<void>& result : store().run_batch(jobs)) EXPECT_TRUE(result);
  backend().reopen();
  EXPECT_EQ(must(store().queue_length(alice)), 25u);
  EXPECT_EQ(must(store().queue_length(bob)), 25u);
}

// The unsynced variant runs jobs exactly as run_batch does; sync_commits() then makes them
// durable. (A crash between the two cannot be staged here; the reopen shows what was kept.)
TEST_P(StoreBatchTest, UnsyncedBatchUndoesAFailingJobAloneAndSyncKeepsTheOthers) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{
      enqueue_job(alice, 1),
      enqueue_then_fail_job(alice, 2),
      enqueue_job(alice, 3),
  };
  const auto results = store().run_batch_unsynced(jobs);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]);
  EXPECT_EQ(error_of(results[1]), Errc::rate_limited);
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(3)}));
  must(store().sync_commits());
  // Writes after it are durable on their own again, as every Store method's are.
  must(store().set_username(alice.account, "alice.01"));
  backend().reopen();
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(3)}));
  EXPECT_EQ(must(store().account(alice.account))->username, "alice.01");
}

// Re-runnable jobs (Store::JobRerun) share one savepoint; a failure rolls the group back and
// runs it again job by job, so the results are exactly those of a plain batch.
std::vector<Store::JobRerun> every_job_reruns(std::size_t count) {
  return std::vector<Store::JobRerun>(count, Store::JobRerun::allowed);
}

Store::Job counted_job(Store::Job job, int& runs) {
  return [job = std::move(job), &runs](Store& store) {
    ++runs;
    return job(store);
  };
}

TEST_P(StoreBatchTest, RerunnableJobsThatSucceedRunOnceAndCommitInOrder) {
  const DeviceAddress alice = registered(1);
  int runs = 0;
  std::vector<Store::Job> jobs;
  for (std::uint8_t n = 1; n <= 4; ++n) jobs.push_back(counted_job(enqueue_job(alice, n), runs));
  const auto results = store().run_batch_unsynced(jobs, every_job_reruns(jobs.size()));
  ASSERT_EQ(results.size(), 4u);
  for (const Result<void>& result : results) EXPECT_TRUE(result);
  EXPECT_EQ(runs, 4);
  must(store().sync_commits());
  backend().reopen();
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(2),
                                                                 envelope_id(3), envelope_id(4)}));
}

TEST_P(StoreBatchTest, FailingRerunnableJobIsUndoneAloneAfterTheGroupRunsAgain) {
  const DeviceAddress alice = registered(1);
  int runs = 0;
  std::vector<Store::Job> jobs{
      counted_job(enqueue_job(alice, 1), runs),
      counted_job(enqueue_then_fail_job(alice, 2), runs),
      counted_job(enqueue_job(alice, 3), runs),
      [&](Store& store) { return store.set_username(alice.account, "alice.01"); },
  };
  std::vector<Store::JobRerun> reruns = every_job_reruns(3);
  reruns.push_back(Store::JobRerun::never);
  const auto results = store().run_batch_unsynced(jobs, reruns);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0]);
  EXPECT_EQ(error_of(results[1]), Errc::rate_limited);
  EXPECT_TRUE(results[2]);
  EXPECT_TRUE(results[3]);
  // Sharing a savepoint (SQLite): two until the failure, then all three again, each in its
  // own. A backend with a transaction per job (PostgreSQL) shares none and runs each once.
  EXPECT_TRUE(runs == 5 || runs == 3) << runs;
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(3)}));
  EXPECT_EQ(must(store().account(alice.account))->username, "alice.01");
}

// A method that fails half way keeps nothing, even in a job that carries on regardless: the
// method took no savepoint of its own in the group, so the group runs again with them.
TEST_P(StoreBatchTest, RerunnableJobIgnoringAFailedMethodKeepsNoPartOfIt) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{
      enqueue_job(alice, 1),
      [&](Store& store) -> Result<void> {
        // The first envelope is written before the second fails its device's foreign key.
        std::vector<Envelope> two{envelope(alice, 2),
                                  envelope(DeviceAddress{alice.account, DeviceId{9}}, 3)};
        static_cast<void>(store.enqueue(two));
        return {};
      },
      enqueue_job(alice, 4),
  };
  const auto results = store().run_batch_unsynced(jobs, every_job_reruns(jobs.size()));
  ASSERT_EQ(results.size(), 3u);
  for (const Result<void>& result : results) EXPECT_TRUE(result);
  EXPECT_EQ(queued_ids(store(), alice), (std::vector<EnvelopeId>{envelope_id(1), envelope_id(4)}));
}

TEST_P(StoreBatchTest, SyncWithNothingCommittedSucceeds) { must(store().sync_commits()); }

}  // namespace
}  // namespace bulwark::store::conformance
