// KtService in cluster mode (KtSettings::shared_log): two services over one store play two
// nodes sharing one database. Each tick a node takes the publisher lease or not, appends what
// the other published, and publishes only under the lease. A fake clock drives the lease; the
// epoch is an hour, so only tick_now() ticks.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "server/kt_keys.h"
#include "server/kt_service.h"
#include "server/kt_store.h"
#include "server/support/kt_support.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

using kt_support::wait_for;

Bytes cluster_label(std::uint8_t n) { return Bytes(16, std::byte{n}); }

class KtClusterTest : public ::testing::Test {
 protected:
  KtClusterTest() {
    store_ = std::make_unique<StoreExecutor>(
        store::open_sqlite_store(dir_.path() / "bulwark.db").value());
  }
  ~KtClusterTest() override {
    node_a_.reset();
    node_b_.reset();
    store_.reset();
  }

  [[nodiscard]] static KtSettings shared_settings() {
    KtSettings settings;
    settings.origin = "kt.bulwark.test/cluster";
    settings.epoch = std::chrono::hours(1);
    settings.shared_log = true;
    settings.publisher_lease = std::chrono::seconds(5);
    return settings;
  }

  // A node: its own KtService over the shared store, with the cluster's keys.
  std::unique_ptr<KtService> start_node() {
    auto keys = load_or_create_kt_keys(dir_.path() / "kt", rng_).value();
    auto started = KtService::start(shared_settings(), std::move(keys), *store_, clock_, rng_);
    EXPECT_TRUE(started) << started.error().describe();
    return started ? std::move(*started) : nullptr;
  }

  void tick(KtService& node) {
    const auto ticked = node.tick_now();
    ASSERT_TRUE(ticked) << ticked.error().describe();
  }

  void queue_record(std::uint8_t n) {
    const Bytes record = kt_support::signed_account_record(rng_);
    const auto queued = run_store_job(*store_, [&](store::Store& store) -> Result<void> {
      BULWARK_TRY(store.kt_queue_update(cluster_label(n), record));
      return {};
    });
    ASSERT_TRUE(queued) << queued.error().describe();
  }

  [[nodiscard]] static Result<KtService::SearchAnswer> search(KtService& node, std::uint8_t n) {
    return wait_for<KtService::SearchAnswer>(
        [&](auto done) { return node.search(cluster_label(n), 0, std::move(done)); });
  }

  kt_support::TempDir dir_;
  bulwark::testing::FakeClock clock_;
  bulwark::testing::SeededRng rng_{7};
  std::unique_ptr<StoreExecutor> store_;
  std::unique_ptr<KtService> node_a_;
  std::unique_ptr<KtService> node_b_;
};

TEST_F(KtClusterTest, OneNodePublishesAndTheOtherFollowsTheSameLog) {
  node_a_ = start_node();
  node_b_ = start_node();
  ASSERT_TRUE(node_a_ && node_b_);
  queue_record(1);
  tick(*node_a_);
  EXPECT_TRUE(node_a_->publishing());
  EXPECT_EQ(node_a_->size(), 1u);
  tick(*node_b_);
  EXPECT_FALSE(node_b_->publishing()) << "a's lease still runs";
  EXPECT_EQ(node_b_->size(), 1u) << "b appended a's entry instead of publishing its own";
  EXPECT_EQ(node_b_->served_size(), 1u);
  EXPECT_EQ(node_b_->newest_checkpoint(), node_a_->newest_checkpoint());
  // The record a published is found through b, under the same checkpoint.
  const auto through_b = search(*node_b_, 1);
  ASSERT_TRUE(through_b) << through_b.error().describe();
  const auto through_a = search(*node_a_, 1);
  ASSERT_TRUE(through_a) << through_a.error().describe();
  EXPECT_EQ(through_b->checkpoint, through_a->checkpoint);
  EXPECT_EQ(through_b->proof, through_a->proof);
  // b's ticks never publish while a holds the lease: the log grows by a's ticks only.
  tick(*node_b_);
  tick(*node_a_);
  tick(*node_b_);
  EXPECT_EQ(node_a_->size(), 2u);
  EXPECT_EQ(node_b_->size(), 2u);
}

TEST_F(KtClusterTest, AnotherNodeTakesOverOnceThePublishersLeaseRanOut) {
  node_a_ = start_node();
  node_b_ = start_node();
  ASSERT_TRUE(node_a_ && node_b_);
  tick(*node_a_);
  queue_record(2);
  tick(*node_a_);
  node_a_.reset();  // the publisher dies (its lease is still in the store)
  queue_record(3);
  tick(*node_b_);
  EXPECT_FALSE(node_b_->publishing());
  EXPECT_EQ(node_b_->size(), 2u);
  clock_.advance(std::chrono::seconds(5));
  tick(*node_b_);
  EXPECT_TRUE(node_b_->publishing());
  EXPECT_EQ(node_b_->size(), 3u) << "b published the queued record as entry 3";
  ASSERT_TRUE(search(*node_b_, 3));
  ASSERT_TRUE(search(*node_b_, 2));
  // A node started now rebuilds the same log from the store.
  node_a_ = start_node();
  ASSERT_TRUE(node_a_);
  EXPECT_EQ(node_a_->size(), 3u);
  EXPECT_EQ(node_a_->newest_checkpoint(), node_b_->newest_checkpoint());
  tick(*node_a_);
  EXPECT_FALSE(node_a_->publishing());
}

// A publisher slowed past its lease: another node took the lease and stored the entry this one
// then tries to store. The store refuses it; this node drops its never-served entry and takes
// the store's log, instead of stopping.
TEST_F(KtClusterTest, APublisherOvertakenAfterItsLeaseRanOutRebuildsFromTheStore) {
  node_a_ = start_node();
  node_b_ = start_node();
  ASSERT_TRUE(node_a_ && node_b_);
  tick(*node_a_);
  clock_.advance(std::chrono::seconds(6));
  queue_record(4);
  tick(*node_b_);
  ASSERT_TRUE(node_b_->publishing());
  ASSERT_EQ(node_b_->size(), 2u);
  // a still believes it publishes: it builds entry 2 over its log of 1, and stores it at 1.
  const auto overtaken = node_a_->publish_now();
  ASSERT_TRUE(overtaken) << overtaken.error().describe();
  EXPECT_FALSE(node_a_->failed());
  EXPECT_EQ(node_a_->size(), 2u);
  EXPECT_EQ(node_a_->newest_checkpoint(), node_b_->newest_checkpoint());
  const auto found = search(*node_a_, 4);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->checkpoint, search(*node_b_, 4)->checkpoint);
  // And it follows from there.
  tick(*node_b_);
  tick(*node_a_);
  EXPECT_EQ(node_a_->size(), 3u);
  EXPECT_FALSE(node_a_->publishing());
}

// A follower reads entries, then their versions, as the publisher goes on appending: an entry
// published after the follower's last read of versions must still come with its versions.
TEST_F(KtClusterTest, AFollowersCursorReadsTheVersionsOfEntriesPublishedWhileItReads) {
  node_a_ = start_node();
  ASSERT_TRUE(node_a_);
  queue_record(5);
  tick(*node_a_);
  KtRestoreCursor cursor(*store_);
  const auto first = cursor.next_entries(10);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_EQ(first->size(), 1u);
  const auto first_versions = cursor.versions_of(0);
  ASSERT_TRUE(first_versions) << first_versions.error().describe();
  EXPECT_EQ(first_versions->size(), 1u);
  queue_record(6);
  tick(*node_a_);
  const auto second = cursor.next_entries(10);
  ASSERT_TRUE(second) << second.error().describe();
  ASSERT_EQ(second->size(), 1u);
  const auto second_versions = cursor.versions_of(1);
  ASSERT_TRUE(second_versions) << second_versions.error().describe();
  EXPECT_EQ(second_versions->size(), 1u) << "entry 1's version, published after the first read";
  // And a follower catching up across such entries ends with the publisher's log.
  node_b_ = start_node();
  ASSERT_TRUE(node_b_);
  queue_record(7);
  tick(*node_a_);
  tick(*node_b_);
  EXPECT_EQ(node_b_->size(), 3u);
  EXPECT_FALSE(node_b_->failed());
  EXPECT_TRUE(search(*node_b_, 7));
}

TEST_F(KtClusterTest, ALogThatDoesNotVerifyStopsTheFollowerInsteadOfServingIt) {
  node_a_ = start_node();
  ASSERT_TRUE(node_a_);
  tick(*node_a_);
  // b has other keys: the checkpoints a stored are not b's signature of its log.
  auto other_keys = load_or_create_kt_keys(dir_.path() / "other-kt", rng_).value();
  auto started = KtService::start(shared_settings(), std::move(other_keys), *store_, clock_, rng_);
  EXPECT_FALSE(started) << "refused at start, like a replaced DATA_DIR/kt";
}

}  // namespace
}  // namespace bulwark::server
