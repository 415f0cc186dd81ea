// KtRestoreCursor: how a node reads the stored log back, on start and (in a cluster) every epoch
// while another node keeps publishing into the same store. A publisher kt::Directory stores its
// entries with kt_publish; a follower kt::Directory replays what the cursor reads, as
// KtService::apply_stored_entries does, and must end with the publisher's roots.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "crypto/vrf.h"
#include "kt/directory.h"
#include "server/kt_store.h"
#include "server/store_executor.h"
#include "server/support/kt_support.h"
#include "store/sqlite_store.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

constexpr std::uint32_t cursor_test_page = 4096;

Bytes cursor_test_label(std::uint8_t n) { return Bytes(16, std::byte{n}); }

kt::Directory cursor_test_directory() {
  return kt::Directory(crypto::VrfSecretKey::from_seed(Bytes(32, std::byte{5})).value());
}

class KtRestoreCursorTest : public ::testing::Test {
 protected:
  KtRestoreCursorTest()
      : store_(std::make_unique<StoreExecutor>(
            store::open_sqlite_store(dir_.path() / "bulwark.db").value())) {}
  ~KtRestoreCursorTest() override { store_.reset(); }

  // The publisher appends an entry with one update of each label and stores it.
  void publish(std::initializer_list<std::uint8_t> labels) {
    for (const std::uint8_t n : labels) {
      const Bytes value(8, std::byte{n});
      ASSERT_TRUE(publisher_.update(cursor_test_label(n), value, rng_));
    }
    const auto published = publisher_.publish(++timestamp_ms_);
    const store::KtEntry entry =
        store_entry_from(publisher_.size() - 1, published.entry, "checkpoint");
    const std::vector<store::KtVersion> versions = store_versions_from(published.versions);
    const auto stored = run_store_job(
        *store_, [&](store::Store& store) { return store.kt_publish(entry, versions, 0); });
    ASSERT_TRUE(stored) << stored.error().describe();
  }

  // One page of entries from the cursor, each replayed into the follower with its versions.
  // Returns how many entries it read; counts the versions in versions_read_.
  std::size_t follow_one_page(KtRestoreCursor& cursor) {
    const auto entries = cursor.next_entries(cursor_test_page);
    EXPECT_TRUE(entries) << entries.error().describe();
    if (!entries) return 0;
    for (const store::KtEntry& entry : *entries) {
      const auto versions = cursor.versions_of(entry.index);
      EXPECT_TRUE(versions) << versions.error().describe();
      if (!versions) return 0;
      versions_read_ += versions->size();
      const auto restored = follower_.restore(log_entry_from(entry).value(), *versions);
      EXPECT_TRUE(restored) << "entry " << entry.index << ": " << restored.error().describe();
      if (!restored) return 0;
    }
    return entries->size();
  }

  kt_support::TempDir dir_;
  bulwark::testing::SeededRng rng_{11};
  std::unique_ptr<StoreExecutor> store_;
  kt::Directory publisher_ = cursor_test_directory();
  kt::Directory follower_ = cursor_test_directory();
  std::uint64_t timestamp_ms_ = 1000;
  std::size_t versions_read_ = 0;
};

TEST_F(KtRestoreCursorTest, ReadsEveryStoredEntryWithItsVersions) {
  publish({1, 2});
  publish({});
  publish({3, 1});
  KtRestoreCursor cursor(*store_);
  EXPECT_EQ(follow_one_page(cursor), 3u);
  EXPECT_EQ(follow_one_page(cursor), 0u) << "an empty page is the end";
  EXPECT_EQ(versions_read_, 4u);
  ASSERT_EQ(follower_.size(), 3u);
  EXPECT_EQ(follower_.log().root(3), publisher_.log().root(3));
}

// The cluster follower's race: the cursor had read every stored version (its last version page
// came back empty) when another node stored a new entry; the cursor's next page of entries has
// that entry, whose versions must then be read, not taken as none. Before the fix the follower
// replayed entry 1 without its versions and stopped: "stored versions do not give the entry's
// root".
TEST_F(KtRestoreCursorTest, AnEntryStoredAfterTheVersionsRanOutIsReadWithItsVersions) {
  publish({1});
  KtRestoreCursor cursor(*store_);
  ASSERT_EQ(follow_one_page(cursor), 1u);
  publish({2, 1});  // another node publishes while this one is catching up
  ASSERT_EQ(follow_one_page(cursor), 1u);
  EXPECT_EQ(versions_read_, 3u);
  publish({});  // an empty epoch, then one with versions again
  publish({3});
  ASSERT_EQ(follow_one_page(cursor), 2u);
  EXPECT_EQ(follow_one_page(cursor), 0u);
  EXPECT_EQ(versions_read_, 4u);
  ASSERT_EQ(follower_.size(), 4u);
  EXPECT_EQ(follower_.log().root(4), publisher_.log().root(4));
}

// A node catching up from its own size (KtRestoreCursor's `from`) reads the versions of the
// entries after it only.
TEST_F(KtRestoreCursorTest, CatchingUpFromAnEntryReadsOnlyTheVersionsFromThere) {
  publish({1, 2});
  KtRestoreCursor first(*store_);
  ASSERT_EQ(follow_one_page(first), 1u);
  publish({3});
  publish({1});
  KtRestoreCursor next(*store_, follower_.size());
  EXPECT_EQ(follow_one_page(next), 2u);
  EXPECT_EQ(versions_read_, 4u);
  ASSERT_EQ(follower_.size(), 3u);
  EXPECT_EQ(follower_.log().root(3), publisher_.log().root(3));
}

}  // namespace
}  // namespace bulwark::server
