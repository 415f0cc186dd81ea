// The SQLite store keeps a group message's bytes once, in shared_contents, however many devices
// it goes to (store/sqlite/migrations.cpp, version 10), and deletes them with the last copy,
// whichever way that copy goes: acknowledged, expired, or with its re-registered device.
#include <gtest/gtest.h>

#include "conformance.h"
#include "store/sqlite/db.h"
#include "store/sqlite_store.h"
#include "temp_dir.h"

namespace bulwark::store::sqlite {
namespace {

using conformance::account_id;
using conformance::envelope_id;
using conformance::filled;
using conformance::must;
using conformance::new_account;
using conformance::new_device;
using conformance::TempDir;

class SqliteSharedContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = must(open_sqlite_store(file()));
    for (std::uint8_t n = 1; n <= 3; ++n) {
      const AccountId id = must(store_->register_account(new_account(n), new_device(n)));
      devices_.push_back(DeviceAddress{id, DeviceId{1}});
    }
    must(store_->create_group(Group{filled(16, 7), 0, filled(32, 0xa0)}));
  }

  std::filesystem::path file() const { return dir_.path() / "store.db"; }

  // Rows of shared_contents and envelopes naming one, read on a connection of its own while the
  // store is closed (it holds its database exclusively).
  std::pair<std::int64_t, std::int64_t> rows() {
    store_.reset();
    auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
    auto count = [&db](std::string_view sql) {
      auto query = must(db->prepare(Sql{"count", sql}));
      EXPECT_TRUE(must(query.step()));
      return query.int64_at(0);
    };
    const std::pair<std::int64_t, std::int64_t> counted{
        count("SELECT COUNT(*) FROM shared_contents"),
        count("SELECT COUNT(*) FROM envelopes WHERE shared_content IS NOT NULL")};
    db.reset();
    store_ = must(open_sqlite_store(file()));
    return counted;
  }

  // A message of epoch 0 to all three devices; returns its copies.
  std::vector<QueuedCopy> send_to_all(std::uint8_t tag) {
    GroupSend send;
    send.group_id = filled(16, 7);
    send.token_hash = filled(32, 0xa0);
    send.source_account = account_id(0xee);
    send.source_device = DeviceId{1};
    send.expires_at_ms = 1'800'000'000'000;
    send.deliveries.push_back(GroupDelivery{envelope_id(tag), 6, filled(4000, tag), devices_});
    GroupSendOutcome outcome = must(store_->send_to_group(send));
    EXPECT_EQ(outcome.status, GroupSendStatus::sent);
    return outcome.queued.at(0);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<DeviceAddress> devices_;
};

TEST_F(SqliteSharedContentTest, AMessageToManyDevicesIsStoredOnce) {
  send_to_all(1);
  send_to_all(2);
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{2}, std::int64_t{6}));
}

TEST_F(SqliteSharedContentTest, TheBytesGoWithTheLastAcknowledgedCopy) {
  const std::vector<QueuedCopy> copies = send_to_all(1);
  for (std::size_t i = 0; i < copies.size(); ++i) {
    EXPECT_EQ(rows().first, 1);
    const std::vector<std::uint64_t> seq{copies[i].seq};
    EXPECT_EQ(must(store_->delete_envelopes(copies[i].device, seq)), 1u);
  }
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

TEST_F(SqliteSharedContentTest, ExpiryTakesTheBytesToo) {
  send_to_all(1);
  EXPECT_EQ(must(store_->expire_envelopes(1'800'000'000'000)), 3u);
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

TEST_F(SqliteSharedContentTest, ReRegisteredDevicesReleaseTheirCopies) {
  send_to_all(1);
  for (std::uint8_t n = 1; n <= 2; ++n) {
    must(store_->register_account(new_account(n), new_device(n)));
  }
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  must(store_->register_account(new_account(3), new_device(3)));
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

// Bytes no copy names (left by two PostgreSQL nodes racing; made here by hand) are freed by
// the sweep, which leaves a message still queued alone.
TEST_F(SqliteSharedContentTest, TheSweepFreesBytesNoCopyNames) {
  send_to_all(1);
  store_.reset();
  {
    auto db = must(Db::open(file(), std::chrono::milliseconds{1000}));
    must(db->execute(Sql{"orphan", "INSERT INTO shared_contents (content) VALUES (x'aa')"}));
  }
  store_ = must(open_sqlite_store(file()));
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{2}, std::int64_t{3}));
  const OrphanSweep kept = must(store_->release_orphaned_contents(0, 1));
  EXPECT_EQ(kept.released, 0u);
  const OrphanSweep freed = must(store_->release_orphaned_contents(kept.checked_up_to, 1));
  EXPECT_EQ(freed.released, 1u);
  EXPECT_EQ(rows(), std::make_pair(std::int64_t{1}, std::int64_t{3}));
}

}  // namespace
}  // namespace bulwark::store::sqlite
