// The SQLite store keeps queued envelopes in memory, journalled in its database
// (store/hot/hot_queues.h). The conformance suites pin the queue contract down; these pin down
// what is particular to the memory: nothing lives only in memory (a reopen replays the journal),
// a rollback takes back what it undid in the database, limits move envelopes to the table or
// compact the journal, and a journal that does not decode stops the store from opening.
#include <gtest/gtest.h>

#include <algorithm>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::envelope;
using conformance::filled;
using conformance::must;
using conformance::new_account;
using conformance::new_device;
using conformance::TempDir;

std::vector<std::uint64_t> seqs_of(const std::vector<Envelope>& envelopes) {
  std::vector<std::uint64_t> seqs;
  for (const Envelope& queued : envelopes) seqs.push_back(queued.seq);
  return seqs;
}

class SqliteMemoryQueuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open();
    for (std::uint8_t n = 1; n <= 2; ++n) {
      const AccountId id = must(store_->register_account(new_account(n), new_device(n)));
      devices_.push_back(DeviceAddress{id, DeviceId{1}});
    }
  }

  void open() {
    SqliteOptions options;
    options.memory_queue_limits = limits_;
    options.inject_fault = [this] { return fail_next_; };
    store_ = must(open_sqlite_store(file(), std::move(options)));
  }
  void reopen() {
    store_.reset();
    open();
  }
  std::filesystem::path file() const { return dir_.path() / "store.db"; }

  // `sql`'s one number, read on a connection of its own while the store is closed (it holds
  // its database exclusively); the store is open again afterwards.
  std::int64_t count(std::string_view sql) {
    store_.reset();
    std::int64_t counted = 0;
    {
      auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
      auto query = must(db->prepare(Sql{"count", sql}));
      EXPECT_TRUE(must(query.step()));
      counted = query.int64_at(0);
    }
    open();
    return counted;
  }
  std::int64_t table_rows() { return count("SELECT COUNT(*) FROM envelopes"); }
  std::int64_t journal_rows() { return count("SELECT COUNT(*) FROM hot_journal"); }

  std::uint64_t send(const DeviceAddress& to, std::uint8_t n) {
    std::vector<Envelope> one{envelope(to, n)};
    must(store_->enqueue(one));
    return one[0].seq;
  }
  std::vector<std::uint64_t> queued_seqs(const DeviceAddress& device) {
    return seqs_of(must(store_->queued(device, 0, 1000)));
  }
  // Inside a job: test envelope 2 queued to device 0, and position 1 acknowledged.
  Result<void> queue_second_and_acknowledge_first(Store& store) {
    std::vector<Envelope> one{envelope(devices_[0], 2)};
    BULWARK_TRY(store.enqueue(one));
    const std::vector<std::uint64_t> seqs{1};
    BULWARK_TRY(store.delete_envelopes(devices_[0], seqs));
    return {};
  }
  // A send to `to` and its acknowledgement: two transactions, two journal rows.
  void send_and_acknowledge(const DeviceAddress& to, std::uint8_t n) {
    const std::vector<std::uint64_t> acknowledged{send(to, n)};
    ASSERT_EQ(must(store_->delete_envelopes(to, acknowledged)), 1u);
  }
  // The one envelope queued for `device`, which must be test envelope `n` at `seq`.
  void expect_only_queued(const DeviceAddress& device, std::uint8_t n, std::uint64_t seq) {
    const std::vector<Envelope> queued = must(store_->queued(device, 0, 1000));
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].seq, seq);
    EXPECT_EQ(queued[0].content, envelope(device, n).content);
    EXPECT_EQ(queued[0].franking_tag, envelope(device, n).franking_tag);
  }

  TempDir dir_;
  hot::HotLimits limits_;
  bool fail_next_ = false;
  std::unique_ptr<Store> store_;
  std::vector<DeviceAddress> devices_;
};

TEST_F(SqliteMemoryQueuesTest, QueuedEnvelopesLiveInMemoryAndSurviveAReopen) {
  const std::uint64_t first = send(devices_[0], 1);
  const std::uint64_t second = send(devices_[0], 2);
  const std::uint64_t third = send(devices_[1], 3);
  const std::vector<std::uint64_t> acknowledged{second};
  EXPECT_EQ(must(store_->delete_envelopes(devices_[0], acknowledged)), 1u);
  // Not a row of the table: the journal's records hold them.
  EXPECT_EQ(table_rows(), 0);
  EXPECT_GT(journal_rows(), 0);
  reopen();
  expect_only_queued(devices_[0], 1, first);
  EXPECT_EQ(queued_seqs(devices_[1]), std::vector<std::uint64_t>{third});
  // Positions go on after the replayed ones.
  EXPECT_GT(send(devices_[0], 4), second);
}

TEST_F(SqliteMemoryQueuesTest, AJobRolledBackTakesItsEnvelopesOutOfMemory) {
  std::vector<Store::Job> jobs;
  jobs.push_back([this](Store& store) -> Result<void> {
    std::vector<Envelope> one{envelope(devices_[0], 1)};
    return store.enqueue(one);
  });
  jobs.push_back([this](Store& store) -> Result<void> {
    BULWARK_TRY(queue_second_and_acknowledge_first(store));
    return fail(Errc::conflict, "this job changes its mind");
  });
  const std::vector<Result<void>> results = store_->run_batch(jobs);
  ASSERT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  // The first job's envelope stays (the second job's delete of it was undone too); the second
  // job's is gone, in memory as in the journal.
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
  reopen();
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
  EXPECT_EQ(send(devices_[0], 3), 2u);
}

TEST_F(SqliteMemoryQueuesTest, AFailedCommitLeavesNothingInMemory) {
  send(devices_[0], 1);
  std::vector<Store::Job> jobs;
  jobs.push_back([this](Store& store) -> Result<void> {
    BULWARK_TRY(queue_second_and_acknowledge_first(store));
    // Every statement from here on fails: the journal's row before the commit included.
    fail_next_ = true;
    return {};
  });
  const std::vector<Result<void>> results = store_->run_batch(jobs);
  fail_next_ = false;
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
  reopen();
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
}

TEST_F(SqliteMemoryQueuesTest, AJournalWriteThatFailsLeavesMemoryAsTheDatabase) {
  send(devices_[0], 1);
  store_.reset();
  {
    auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
    must(db->execute(Sql{"refuse journal writes",
                         "CREATE TRIGGER refuse_journal BEFORE INSERT ON hot_journal "
                         "BEGIN SELECT RAISE(ABORT, 'refused'); END"}));
  }
  open();
  // The jobs succeed; the journal's row, written just before COMMIT, fails the transaction.
  std::vector<Store::Job> jobs;
  jobs.push_back([this](Store& store) { return queue_second_and_acknowledge_first(store); });
  const std::vector<Result<void>> results = store_->run_batch(jobs);
  ASSERT_FALSE(results[0]);
  // Seen before any reopen: memory was rolled back with the database.
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
  EXPECT_EQ(must(store_->queue_length(devices_[0])), 1u);
}

TEST_F(SqliteMemoryQueuesTest, AFlushOrRequeueRolledBackPutsEverythingBack) {
  limits_.max_envelopes = 3;
  limits_.max_journal_bytes = 600;
  reopen();
  for (std::uint8_t n = 1; n <= 3; ++n) send(devices_[0], n);
  // The first enqueue of this job flushes (three in memory), the job then fails.
  std::vector<Store::Job> jobs;
  jobs.push_back([this](Store& store) -> Result<void> {
    std::vector<Envelope> one{envelope(devices_[0], 4)};
    BULWARK_TRY(store.enqueue(one));
    return fail(Errc::conflict, "changed its mind");
  });
  ASSERT_FALSE(store_->run_batch(jobs)[0]);
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(table_rows(), 0);
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST_F(SqliteMemoryQueuesTest, ARequeueRolledBackPutsEverythingBack) {
  limits_.max_journal_bytes = 2000;
  reopen();
  const std::uint64_t kept = send(devices_[1], 200);
  // Acknowledged sends add rows the kept envelope holds back, until one past the limit, in a job
  // that then fails, would requeue it.
  std::vector<Store::Job> jobs;
  jobs.push_back([this](Store& store) -> Result<void> {
    std::vector<Envelope> one{envelope(devices_[0], 9)};
    BULWARK_TRY(store.enqueue(one));
    return fail(Errc::conflict, "changed its mind");
  });
  for (int n = 0; n < 30; ++n) {
    const std::int64_t rows_before = journal_rows();
    ASSERT_FALSE(store_->run_batch(jobs)[0]);
    EXPECT_EQ(journal_rows(), rows_before) << n;
    EXPECT_EQ(queued_seqs(devices_[1]), std::vector<std::uint64_t>{kept}) << n;
    EXPECT_TRUE(queued_seqs(devices_[0]).empty()) << n;
    send_and_acknowledge(devices_[0], static_cast<std::uint8_t>(n));
  }
  // The successful sends did requeue it: the rows it held back went.
  EXPECT_LT(journal_rows(), 20);
  EXPECT_EQ(queued_seqs(devices_[1]), std::vector<std::uint64_t>{kept});
}

TEST_F(SqliteMemoryQueuesTest, AnEmptyEnvelopeIsARowAndSurvivesAReopen) {
  std::vector<Envelope> empty{envelope(devices_[0], 1)};
  empty[0].content.clear();
  must(store_->enqueue(empty));
  reopen();
  const std::vector<Envelope> queued = must(store_->queued(devices_[0], 0, 1000));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_TRUE(queued[0].content.empty());
}

TEST_F(SqliteMemoryQueuesTest, BeyondItsLimitTheMemoryIsFlushedToTheTable) {
  limits_.max_envelopes = 3;
  reopen();
  for (std::uint8_t n = 1; n <= 3; ++n) send(devices_[0], n);
  EXPECT_EQ(table_rows(), 0);
  // The fourth finds three in memory: they move to the table, the journal empties, and the
  // fourth is in memory.
  send(devices_[0], 4);
  EXPECT_EQ(table_rows(), 3);
  EXPECT_EQ(journal_rows(), 1);
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(must(store_->queue_length(devices_[0])), 4u);
  // An acknowledgement finds each where it is.
  const std::vector<std::uint64_t> acknowledged{2, 4};
  EXPECT_EQ(must(store_->delete_envelopes(devices_[0], acknowledged)), 2u);
  reopen();
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 3}));
}

TEST_F(SqliteMemoryQueuesTest, ARowGoesOnceWhatItQueuedIsGone) {
  // Each send and each acknowledgement is a transaction and a row; a row goes once nothing it
  // queued is in memory and no older row is left, so the journal stays a row or two long.
  for (int n = 0; n < 50; ++n) send_and_acknowledge(devices_[0], static_cast<std::uint8_t>(n));
  EXPECT_LE(journal_rows(), 2);
  EXPECT_EQ(table_rows(), 0);
}

TEST_F(SqliteMemoryQueuesTest, AnEnvelopeLeftWaitingIsRequeuedPastTheLimit) {
  limits_.max_journal_bytes = 4096;
  reopen();
  // One envelope stays and holds its row, and so every later one, back; past the limit it is
  // queued again in a new row, and the rows before go.
  const std::uint64_t kept = send(devices_[1], 200);
  for (int n = 0; n < 100; ++n) send_and_acknowledge(devices_[0], static_cast<std::uint8_t>(n));
  // Far fewer rows than the 200 transactions, none in the table, and the one kept replays.
  EXPECT_LT(journal_rows(), 40);
  EXPECT_EQ(table_rows(), 0);
  reopen();
  expect_only_queued(devices_[1], 200, kept);
  EXPECT_TRUE(queued_seqs(devices_[0]).empty());
  // Acknowledged after its requeue, it stays gone.
  const std::vector<std::uint64_t> acknowledged{kept};
  EXPECT_EQ(must(store_->delete_envelopes(devices_[1], acknowledged)), 1u);
  reopen();
  EXPECT_TRUE(queued_seqs(devices_[1]).empty());
}

TEST_F(SqliteMemoryQueuesTest, RowsBeforeAFlushAreObsoleteAndGoAFewPerCommit) {
  limits_.max_envelopes = 20;
  reopen();
  for (std::uint8_t n = 1; n <= 21; ++n) send(devices_[0], n);
  // The 21st send flushed 20 envelopes, each journalled in a row of its own: its row starts with
  // a reset, and its commit deleted 8 of the 20 rows before it.
  EXPECT_EQ(journal_rows(), 13);
  EXPECT_EQ(table_rows(), 20);
  // Replayed, the obsolete rows change nothing: the table holds 20, memory 1.
  std::vector<std::uint64_t> all(21);
  for (std::uint64_t n = 0; n < all.size(); ++n) all[n] = n + 1;
  EXPECT_EQ(queued_seqs(devices_[0]), all);
  // Two more commits delete the remaining 12.
  send(devices_[1], 1);
  send(devices_[1], 2);
  EXPECT_EQ(journal_rows(), 3);
  EXPECT_EQ(queued_seqs(devices_[0]), all);
}

TEST_F(SqliteMemoryQueuesTest, LargeEnvelopesGoToTheTableInQueueOrder) {
  send(devices_[0], 1);
  std::vector<Envelope> large{envelope(devices_[0], 2)};
  large[0].content = filled(hot::max_hot_content_bytes + 1, 2);
  must(store_->enqueue(large));
  send(devices_[0], 3);
  EXPECT_EQ(table_rows(), 1);
  const std::vector<Envelope> queued = must(store_->queued(devices_[0], 0, 1000));
  EXPECT_EQ(seqs_of(queued), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(queued[1].content.size(), hot::max_hot_content_bytes + 1);
  // Paging merges the two: after 1, one envelope is the table's.
  EXPECT_EQ(seqs_of(must(store_->queued(devices_[0], 1, 1))), std::vector<std::uint64_t>{2});
  EXPECT_EQ(seqs_of(must(store_->queued(devices_[0], 2, 5))), std::vector<std::uint64_t>{3});
}

TEST_F(SqliteMemoryQueuesTest, ReRegistrationDropsTheQueueInMemoryForGood) {
  send(devices_[0], 1);
  send(devices_[0], 2);
  must(store_->register_account(new_account(1), new_device(1)));
  EXPECT_TRUE(queued_seqs(devices_[0]).empty());
  // The new device 1 starts its positions again, and nothing of the old one comes back.
  EXPECT_EQ(send(devices_[0], 3), 1u);
  reopen();
  const std::vector<Envelope> queued = must(store_->queued(devices_[0], 0, 1000));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].content, envelope(devices_[0], 3).content);
}

TEST_F(SqliteMemoryQueuesTest, ExpiryRemovesEnvelopesInMemoryForGood) {
  std::vector<Envelope> soon{envelope(devices_[0], 1, 1'000)};
  must(store_->enqueue(soon));
  send(devices_[0], 2);
  EXPECT_EQ(must(store_->expire_envelopes(1'000)), 1u);
  reopen();
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{2});
}

TEST_F(SqliteMemoryQueuesTest, GroupCopiesAndMemoryShareOnePositionCounter) {
  must(store_->create_group(Group{filled(16, 7), 0, filled(32, 0xa0)}));
  GroupSend group;
  group.group_id = filled(16, 7);
  group.token_hash = filled(32, 0xa0);
  group.source_account = devices_[1].account;
  group.source_device = DeviceId{1};
  group.expires_at_ms = 1'800'000'000'000;
  group.deliveries.push_back(
      GroupDelivery{conformance::envelope_id(9), 6, filled(40, 9), {devices_[0]}});
  send(devices_[0], 1);
  must(store_->send_to_group(group));
  send(devices_[0], 2);
  // The group's copy took position 2 in the table; the next in memory comes after it.
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST_F(SqliteMemoryQueuesTest, AJournalThatDoesNotDecodeStopsTheStoreFromOpening) {
  send(devices_[0], 1);
  store_.reset();
  {
    auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
    must(db->execute(Sql{"corrupt", "UPDATE hot_journal SET block = x'01ff'"}));
  }
  auto reopened = open_sqlite_store(file());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, Errc::storage);
  EXPECT_NE(reopened.error().context.find("hot journal row 1"), std::string::npos);
}

TEST_F(SqliteMemoryQueuesTest, WithoutMemoryQueuesEveryEnvelopeIsARowTheJournalsToo) {
  send(devices_[0], 1);
  store_.reset();
  SqliteOptions options;
  options.memory_queues = false;
  store_ = must(open_sqlite_store(file(), std::move(options)));
  // What the journal held moved to the table as the store opened.
  EXPECT_EQ(queued_seqs(devices_[0]), std::vector<std::uint64_t>{1});
  send(devices_[0], 2);
  store_.reset();
  {
    auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
    auto query = must(db->prepare(Sql{"count", "SELECT COUNT(*) FROM envelopes"}));
    ASSERT_TRUE(must(query.step()));
    EXPECT_EQ(query.int64_at(0), 2);
  }
  // Back with memory queues, nothing is queued twice.
  open();
  EXPECT_EQ(queued_seqs(devices_[0]), (std::vector<std::uint64_t>{1, 2}));
}

}  // namespace
}  // namespace bulwark::store::sqlite
