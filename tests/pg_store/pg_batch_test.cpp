// Batches on several nodes sharing one PostgreSQL database (store/pg_store.h): each job commits
// on its own and takes its queue-position locks in one sorted order, so two nodes' batches
// never deadlock; run_batch_unsynced + sync_commits make every job durable with one WAL flush.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../store/conformance.h"
#include "pg_environment.h"
#include "store/pg/db.h"
#include "store/pg_store.h"

namespace bulwark::store::pg {
namespace {

using conformance::must;
using pg_tests::pg_server;

// A store for `schema`, as one server node opens it.
std::unique_ptr<Store> batch_node(const std::string& schema) {
  return must(
      open_pg_store(pg_server().conninfo("postgres", test::PgServer::search_options(schema))));
}

// Account n with devices 1 and 2.
std::vector<DeviceAddress> two_device_account(Store& store, std::uint8_t n) {
  const AccountId id =
      must(store.register_account(conformance::new_account(n), conformance::new_device(n)));
  const DeviceId second =
      must(store.add_device(id, conformance::new_device(static_cast<std::uint8_t>(n + 10))));
  return {DeviceAddress{id, DeviceId{1}}, DeviceAddress{id, second}};
}

// An envelope id naming the node, the job and the copy, so every copy is told apart.
EnvelopeId batch_envelope_id(std::uint8_t node, int job, std::size_t copy) {
  EnvelopeId id;
  id.bytes.fill(std::byte{0});
  id.bytes[0] = static_cast<std::byte>(node);
  id.bytes[1] = static_cast<std::byte>(job & 0xff);
  id.bytes[2] = static_cast<std::byte>(job >> 8);
  id.bytes[3] = static_cast<std::byte>(copy);
  return id;
}

// Every envelope queued for `device`, oldest first, through as many pages as it takes.
std::vector<Envelope> whole_queue(Store& store, const DeviceAddress& device) {
  std::vector<Envelope> all;
  for (;;) {
    const std::uint64_t after = all.empty() ? 0 : all.back().seq;
    auto page = must(store.queued(device, after, 1000));
    if (page.empty()) return all;
    all.insert(all.end(), page.begin(), page.end());
  }
}

struct NodeRun {
  std::vector<Result<void>> results;
  // Position each copy got, by envelope id, as enqueue reported it.
  std::map<EnvelopeId, std::uint64_t> positions;
};

// The devices job `job` of a node sends to, in the node's order: all of them, then the first
// half, then the second half, and so on. Successive jobs of one batch so hold one half's
// positions while they want the other's, as a batch of sends to different people does.
std::vector<DeviceAddress> recipients_of(const std::vector<DeviceAddress>& order, int job) {
  const auto half = static_cast<std::ptrdiff_t>(order.size() / 2);
  switch (job % 3) {
    case 0:
      return order;
    case 1:
      return {order.begin(), order.begin() + half};
    default:
      return {order.begin() + half, order.end()};
  }
}

// One node: `batches` batches of `jobs_per_batch` jobs, each job one enqueue of a copy to each
// of its recipients (recipients_of), committed unsynced and then synced, as the server does.
NodeRun run_node(Store& store, std::uint8_t node, const std::vector<DeviceAddress>& order,
                 int batches, int jobs_per_batch) {
  NodeRun run;
  int next_job = 0;
  for (int batch = 0; batch < batches; ++batch) {
    std::vector<Store::Job> jobs;
    for (int j = 0; j < jobs_per_batch; ++j) {
      const int job_number = next_job++;
      jobs.emplace_back([&, job_number](Store& in_batch) -> Result<void> {
        const std::vector<DeviceAddress> recipients = recipients_of(order, job_number);
        std::vector<Envelope> copies;
        for (std::size_t copy = 0; copy < recipients.size(); ++copy) {
          Envelope envelope = conformance::envelope(recipients[copy], node);
          envelope.id = batch_envelope_id(node, job_number, copy);
          copies.push_back(std::move(envelope));
        }
        BULWARK_TRY(in_batch.enqueue(copies));
        for (const Envelope& copy : copies) run.positions[copy.id] = copy.seq;
        return {};
      });
    }
    for (auto& result : store.run_batch_unsynced(jobs)) run.results.push_back(std::move(result));
    if (auto synced = store.sync_commits(); !synced) run.results.push_back(std::move(synced));
  }
  return run;
}

// Two nodes enqueue to the same four devices at once, one in the reverse order of the other:
// with one transaction per batch, or locks taken in the caller's order, they deadlock (the
// cluster bench saw 84 "deadlock detected" in a 100-client run). Every job must succeed, and
// each device's positions must be 1..n without a gap, each node's copies in the order it
// committed them, at the positions enqueue reported, and no copy lost.
TEST(PgBatchTest, TwoNodesEnqueueingInOppositeOrderNeverDeadlock) {
  const std::string schema = must(pg_server().create_schema());
  auto first = batch_node(schema);
  auto second = batch_node(schema);
  std::vector<DeviceAddress> devices = two_device_account(*first, 1);
  for (const DeviceAddress& device : two_device_account(*first, 2)) devices.push_back(device);
  const std::vector<DeviceAddress> reversed(devices.rbegin(), devices.rend());

  constexpr int batches = 40;
  constexpr int jobs_per_batch = 5;
  NodeRun first_run;
  NodeRun second_run;
  std::thread other([&] { second_run = run_node(*second, 2, reversed, batches, jobs_per_batch); });
  first_run = run_node(*first, 1, devices, batches, jobs_per_batch);
  other.join();

  for (const NodeRun* run : {&first_run, &second_run}) {
    ASSERT_EQ(run->results.size(), std::size_t{batches * jobs_per_batch});
    for (const Result<void>& result : run->results) {
      ASSERT_TRUE(result) << result.error().describe();
    }
  }
  std::size_t copies = 0;
  for (const DeviceAddress& device : devices) {
    const std::vector<Envelope> queue = whole_queue(*first, device);
    copies += queue.size();
    std::map<std::byte, int> last_job_of_node;
    for (std::size_t i = 0; i < queue.size(); ++i) {
      EXPECT_EQ(queue[i].seq, i + 1) << "a gap in the positions";
      const NodeRun& run = queue[i].id.bytes[0] == std::byte{1} ? first_run : second_run;
      EXPECT_EQ(run.positions.at(queue[i].id), queue[i].seq);
      const int job = std::to_integer<int>(queue[i].id.bytes[1]) +
                      256 * std::to_integer<int>(queue[i].id.bytes[2]);
      auto [last, fresh] = last_job_of_node.try_emplace(queue[i].id.bytes[0], job);
      if (!fresh) {
        EXPECT_GT(job, last->second) << "a node's copies out of commit order";
        last->second = job;
      }
    }
  }
  EXPECT_EQ(copies, first_run.positions.size() + second_run.positions.size());
  first.reset();
  second.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

// A raw connection to `schema` (not a store): holds and probes row locks.
std::unique_ptr<PgDb> lock_probe(const std::string& schema) {
  return must(
      PgDb::connect(pg_server().conninfo("postgres", test::PgServer::search_options(schema)),
                    std::chrono::seconds{5}));
}

constexpr sql::Sql lock_position{
    "lock position",
    "SELECT last_seq FROM queue_positions WHERE account_id = ? AND device_id = ? FOR UPDATE"};
constexpr sql::Sql try_lock_position{"try to lock position",
                                     "SELECT last_seq FROM queue_positions WHERE account_id = ? "
                                     "AND device_id = ? FOR UPDATE NOWAIT"};
constexpr sql::Sql waiting_for_locks{
    "waiting", "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"};

Result<void> lock_row(PgDb& db, sql::Sql sql, const DeviceAddress& device) {
  auto statement = BULWARK_TRY(db.prepare(sql));
  statement.bind(ByteView(device.account.bytes))
      .bind(static_cast<std::int64_t>(device.device.value()));
  return statement.finish();
}

// Waits (bounded) until some session waits for a row lock; false if none did in time.
bool some_session_waits_for_a_lock(PgDb& observer) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (std::chrono::steady_clock::now() < deadline) {
    auto count = observer.prepare(waiting_for_locks);
    if (count && count->step().value_or(false) && count->int64_at(0) > 0) return true;
    std::this_thread::yield();
  }
  return false;
}

// `write` (on a store) writes to `later` then `earlier` in the caller's order; `earlier` sorts
// first. While another transaction holds `earlier`'s position, the write must wait for it
// before it locks `later`: it locks in sorted order, not the caller's.
template <class Write>
void expect_sorted_locking(const std::string& schema, Store& store, const DeviceAddress& earlier,
                           const DeviceAddress& later, Write write) {
  auto holder = lock_probe(schema);
  auto observer = lock_probe(schema);
  ASSERT_TRUE(holder->begin_transaction());
  ASSERT_TRUE(lock_row(*holder, lock_position, earlier));
  Result<void> written = fail(Errc::internal, "not run");
  std::thread writer([&] { written = write(store); });
  const bool waited = some_session_waits_for_a_lock(*observer);
  // `later` is still free: the write did not lock it before waiting for `earlier`.
  ASSERT_TRUE(observer->begin_transaction());
  const auto probe = lock_row(*observer, try_lock_position, later);
  observer->rollback_transaction();
  ASSERT_TRUE(holder->commit_transaction());
  writer.join();
  EXPECT_TRUE(waited) << "the write never waited for the held position";
  EXPECT_TRUE(probe) << "the write locked the later position first: "
                     << (probe ? std::string() : probe.error().describe());
  EXPECT_TRUE(written) << (written ? std::string() : written.error().describe());
}

// enqueue and send_to_group lock positions by (account, device) whatever the caller's order,
// and still report positions in the caller's order.
TEST(PgBatchTest, SendsLockPositionsInSortedOrderAndReportThemInTheCallersOrder) {
  const std::string schema = must(pg_server().create_schema());
  auto store = batch_node(schema);
  const DeviceAddress alice = two_device_account(*store, 1)[0];
  const DeviceAddress bob = two_device_account(*store, 2)[0];
  ASSERT_LT(alice, bob);
  // Positions 1 for both: their rows exist from now on.
  std::vector<Envelope> warm{conformance::envelope(bob, 1), conformance::envelope(alice, 2)};
  must(store->enqueue(warm));
  EXPECT_EQ(warm[0].seq, 1u);
  EXPECT_EQ(warm[1].seq, 1u);

  std::vector<Envelope> sent{conformance::envelope(bob, 3), conformance::envelope(alice, 4),
                             conformance::envelope(bob, 5)};
  expect_sorted_locking(schema, *store, alice, bob, [&](Store& s) { return s.enqueue(sent); });
  EXPECT_EQ(sent[0].seq, 2u);
  EXPECT_EQ(sent[1].seq, 2u);
  EXPECT_EQ(sent[2].seq, 3u);

  const Group group{conformance::filled(16, 0x42), 0, conformance::filled(32, 0x43)};
  must(store->create_group(group));
  GroupSend send;
  send.group_id = group.id;
  send.token_hash = group.token_hash;
  send.source_account = alice.account;
  send.source_device = DeviceId{1};
  send.expires_at_ms = 1'800'000'000'000;
  send.deliveries.push_back(
      GroupDelivery{conformance::envelope_id(9), 1, conformance::filled(10, 9), {bob, alice}});
  Result<GroupSendOutcome> outcome = fail(Errc::internal, "not run");
  expect_sorted_locking(schema, *store, alice, bob, [&](Store& s) -> Result<void> {
    outcome = s.send_to_group(send);
    if (!outcome) return tl::unexpected(outcome.error());
    return {};
  });
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->status, GroupSendStatus::sent);
  ASSERT_EQ(outcome->queued.size(), 1u);
  ASSERT_EQ(outcome->queued[0].size(), 2u);
  EXPECT_EQ(outcome->queued[0][0].device, bob);
  EXPECT_EQ(outcome->queued[0][0].seq, 4u);
  EXPECT_EQ(outcome->queued[0][1].device, alice);
  EXPECT_EQ(outcome->queued[0][1].seq, 3u);
  store.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

// The commit barrier: what sync_commits() confirmed survives an immediate crash of PostgreSQL
// (no checkpoint, recovery from the WAL alone). Restarts the shared server: later tests need it.
TEST(PgBatchTest, UnsyncedJobsConfirmedBySyncSurviveAnImmediateCrash) {
  const std::string schema = must(pg_server().create_schema());
  auto store = batch_node(schema);
  const DeviceAddress alice = two_device_account(*store, 1)[0];
  constexpr int jobs_count = 50;
  std::vector<Store::Job> jobs;
  for (int n = 0; n < jobs_count; ++n) {
    jobs.emplace_back([&alice, n](Store& in_batch) -> Result<void> {
      std::vector<Envelope> one{conformance::envelope(alice, static_cast<std::uint8_t>(n))};
      return in_batch.enqueue(one);
    });
  }
  for (const Result<void>& result : store->run_batch_unsynced(jobs)) {
    ASSERT_TRUE(result) << result.error().describe();
  }
  const auto synced = store->sync_commits();
  ASSERT_TRUE(pg_server().crash());
  const auto restarted = pg_server().restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();
  ASSERT_TRUE(synced) << synced.error().describe();

  auto after = batch_node(schema);
  EXPECT_EQ(must(after->queue_length(alice)), std::uint64_t{jobs_count});
  store.reset();
  after.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

// A barrier that runs after the server restarted cannot prove commits made before: their WAL
// may have died with the old server. It fails (outcome unknown, never OK), and is not final:
// commits made after it are synced again.
TEST(PgBatchTest, SyncAfterAServerRestartFailsForEarlierCommitsAndThenRecovers) {
  const std::string schema = must(pg_server().create_schema());
  auto store = batch_node(schema);
  EXPECT_FALSE(store->sync_failure_is_final());
  const DeviceAddress alice = two_device_account(*store, 1)[0];
  auto enqueue_one = [&alice](std::uint8_t n) {
    return [&alice, n](Store& in_batch) -> Result<void> {
      std::vector<Envelope> one{conformance::envelope(alice, n)};
      return in_batch.enqueue(one);
    };
  };
  std::vector<Store::Job> before{enqueue_one(1)};
  ASSERT_TRUE(store->run_batch_unsynced(before)[0]);
  ASSERT_TRUE(pg_server().crash());
  const auto restarted = pg_server().restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();

  const auto unproven = store->sync_commits();
  ASSERT_FALSE(unproven);
  EXPECT_EQ(unproven.error().code, Errc::unavailable) << unproven.error().describe();

  std::vector<Store::Job> after{enqueue_one(2)};
  const auto results = store->run_batch_unsynced(after);
  ASSERT_TRUE(results[0]) << results[0].error().describe();
  const auto proven = store->sync_commits();
  EXPECT_TRUE(proven) << proven.error().describe();
  store.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
