// The local store's channels: pins (trust on first use), the subscription and read cursor,
// invite secrets and the seeds of created channels' keys, encrypted at rest like the rest.
#include <gtest/gtest.h>

#include "client/detail/schema.h"
#include "client/detail/sqlite.h"
#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using client::LocalStore;
using client::PinnedChannel;

// Version 7's tables (MLS groups): dropped too when a test goes back to an older version, so
// that the upgrade can create them again.
constexpr const char* drop_mls_tables =
    "DROP TABLE mls_pending_commits; DROP TABLE mls_group_events; DROP TABLE mls_commits; DROP TABLE mls_groups;"
    " DROP TABLE mls_key_packages; DROP TABLE mls_signer;";

Bytes channel_id(std::uint8_t fill) { return Bytes(16, std::byte{fill}); }

PinnedChannel pin(std::uint8_t fill, std::string handle) {
  PinnedChannel channel;
  channel.channel_id = channel_id(fill);
  channel.handle = std::move(handle);
  channel.channel_key = Bytes(32, std::byte{static_cast<std::uint8_t>(fill + 1)});
  channel.pinned_at_ms = 1'800'000'000'000;
  return channel;
}

SecretBytes secret(std::uint8_t fill) {
  SecretBytes out(32);
  for (auto& b : out.writable()) b = std::byte{fill};
  return out;
}

class ChannelStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<LocalStore> store_ = open_store(dir_.data());
};

TEST_F(ChannelStoreTest, PinnedChannelComesBackByHandleAndById) {
  PinnedChannel channel = pin(0x31, "free_press");
  channel.is_private = true;
  channel.invite = secret(0x77);
  ASSERT_TRUE(store_->pin_channel(channel));
  std::vector<std::optional<PinnedChannel>> lookups;
  lookups.push_back(store_->pinned_channel("free_press").value());
  lookups.push_back(store_->pinned_channel_by_id(channel_id(0x31)).value());
  for (const auto& found : lookups) {
    ASSERT_TRUE(found);
    EXPECT_EQ(found->channel_id, channel.channel_id);
    EXPECT_EQ(found->handle, "free_press");
    EXPECT_EQ(found->channel_key, channel.channel_key);
    EXPECT_TRUE(found->is_private);
    EXPECT_FALSE(found->subscribed);
    EXPECT_EQ(found->cursor, 0u);
    EXPECT_EQ(found->pinned_at_ms, 1'800'000'000'000);
    ASSERT_TRUE(found->invite);
    EXPECT_TRUE(std::ranges::equal(found->invite->view(), secret(0x77).view()));
  }
  EXPECT_FALSE(store_->pinned_channel("other_news").value());
  EXPECT_FALSE(store_->pinned_channel_by_id(channel_id(0x32)).value());
}

TEST_F(ChannelStoreTest, AHandleOrIdIsPinnedOnlyOnce) {
  ASSERT_TRUE(store_->pin_channel(pin(0x31, "free_press")));
  auto same_handle = store_->pin_channel(pin(0x41, "free_press"));
  ASSERT_FALSE(same_handle);
  EXPECT_EQ(same_handle.error().code, Errc::conflict);
  auto same_id = store_->pin_channel(pin(0x31, "other_news"));
  ASSERT_FALSE(same_id);
  EXPECT_EQ(same_id.error().code, Errc::conflict);
  // The first pin is untouched.
  EXPECT_EQ(store_->pinned_channel("free_press").value()->channel_key, pin(0x31, "").channel_key);
}

TEST_F(ChannelStoreTest, MalformedPinsAreRefused) {
  PinnedChannel short_id = pin(0x31, "free_press");
  short_id.channel_id.pop_back();
  EXPECT_EQ(store_->pin_channel(short_id).error().code, Errc::invalid_length);
  PinnedChannel long_key = pin(0x31, "free_press");
  long_key.channel_key.push_back(std::byte{0});
  EXPECT_EQ(store_->pin_channel(long_key).error().code, Errc::invalid_length);
  PinnedChannel bad_invite = pin(0x31, "free_press");
  bad_invite.invite = SecretBytes(31);
  EXPECT_EQ(store_->pin_channel(bad_invite).error().code, Errc::invalid_length);
  EXPECT_FALSE(store_->pinned_channel("free_press").value());
}

TEST_F(ChannelStoreTest, CursorOnlyMovesForward) {
  ASSERT_TRUE(store_->pin_channel(pin(0x31, "free_press")));
  ASSERT_TRUE(store_->advance_channel_cursor(channel_id(0x31), 7));
  ASSERT_TRUE(store_->advance_channel_cursor(channel_id(0x31), 3));
  EXPECT_EQ(store_->pinned_channel("free_press").value()->cursor, 7u);
  ASSERT_TRUE(store_->advance_channel_cursor(channel_id(0x31), 12));
  EXPECT_EQ(store_->pinned_channel("free_press").value()->cursor, 12u);
}

TEST_F(ChannelStoreTest, SubscriptionAndInviteChangeOnlyThoseFields) {
  ASSERT_TRUE(store_->pin_channel(pin(0x31, "free_press")));
  ASSERT_TRUE(store_->set_channel_subscribed(channel_id(0x31), true));
  ASSERT_TRUE(store_->set_channel_invite(channel_id(0x31), secret(0x55)));
  auto found = store_->pinned_channel("free_press").value();
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->subscribed);
  ASSERT_TRUE(found->invite);
  EXPECT_TRUE(std::ranges::equal(found->invite->view(), secret(0x55).view()));
  EXPECT_EQ(found->channel_key, pin(0x31, "").channel_key);
  ASSERT_TRUE(store_->set_channel_subscribed(channel_id(0x31), false));
  EXPECT_FALSE(store_->pinned_channel("free_press").value()->subscribed);
}

TEST_F(ChannelStoreTest, UpdatingAChannelNotPinnedIsNotFound) {
  EXPECT_EQ(store_->set_channel_subscribed(channel_id(0x31), true).error().code, Errc::not_found);
  EXPECT_EQ(store_->advance_channel_cursor(channel_id(0x31), 1).error().code, Errc::not_found);
  EXPECT_EQ(store_->set_channel_invite(channel_id(0x31), secret(1)).error().code, Errc::not_found);
}

TEST_F(ChannelStoreTest, ChannelKeySeedIsSavedReadAndDeleted) {
  EXPECT_FALSE(store_->channel_key_seed(channel_id(0x31)).value());
  ASSERT_TRUE(store_->save_channel_key(channel_id(0x31), secret(0x99)));
  auto seed = store_->channel_key_seed(channel_id(0x31)).value();
  ASSERT_TRUE(seed);
  EXPECT_TRUE(std::ranges::equal(seed->view(), secret(0x99).view()));
  ASSERT_TRUE(store_->delete_channel_key(channel_id(0x31)));
  EXPECT_FALSE(store_->channel_key_seed(channel_id(0x31)).value());
  EXPECT_EQ(store_->save_channel_key(channel_id(0x31), SecretBytes(16)).error().code,
            Errc::invalid_length);
}

TEST_F(ChannelStoreTest, SeedAndInviteAreNotOnDiskInTheClear) {
  const std::string marker_seed(32, '\x5a');
  const std::string marker_invite(32, '\x6b');
  PinnedChannel channel = pin(0x31, "free_press");
  channel.invite = SecretBytes::copy_of(as_bytes(marker_invite));
  ASSERT_TRUE(store_->pin_channel(channel));
  ASSERT_TRUE(store_->save_channel_key(channel_id(0x31), SecretBytes::copy_of(as_bytes(marker_seed))));
  store_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_.data())) {
    const std::string contents = read_file(entry.path());
    EXPECT_EQ(contents.find(marker_seed), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find(marker_invite), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find("free_press"), std::string::npos) << entry.path();
  }
}

TEST(ChannelStoreMigrationTest, VersionTwoDatabaseGainsTheChannelTables) {
  TempDir dir;
  { ASSERT_TRUE(open_store(dir.data())); }
  {
    // Back to what a version-2 build left: no channel tables.
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(db->exec("DROP TABLE channels; DROP TABLE channel_keys; DROP TABLE inbox_franking;"
                         " DROP TABLE franking_chains; DROP TABLE franking_server; DROP TABLE moderators;"
                         " DROP TABLE disclosure_log_pin; " + std::string(drop_mls_tables) + " PRAGMA user_version = 2"));
  }
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->pin_channel(pin(0x31, "free_press")));
  EXPECT_TRUE(store->pinned_channel("free_press").value());
  EXPECT_EQ(client::detail::schema_version, 7);
  EXPECT_TRUE(store->save_franking_server_key(Bytes(32, std::byte{1})));
}

TEST(ChannelStoreMigrationTest, VersionThreeDatabaseGainsTheFrankingTablesKeepingItsInbox) {
  TempDir dir;
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->pin_channel(pin(0x31, "free_press")));
  }
  {
    // Back to what a version-3 build left: no franking tables.
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(db->exec("DROP TABLE inbox_franking; DROP TABLE franking_chains; DROP TABLE franking_server;"
                         " DROP TABLE moderators; DROP TABLE disclosure_log_pin;"
                         " " + std::string(drop_mls_tables) + " PRAGMA user_version = 3"));
  }
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->pinned_channel("free_press").value()) << "version 3's data stays";
  EXPECT_FALSE(store->franking_server_key().value());
  ASSERT_TRUE(store->save_franking_server_key(Bytes(32, std::byte{1})));
  EXPECT_EQ(store->franking_server_key().value(), Bytes(32, std::byte{1}));
  ASSERT_TRUE(store->save_last_franking_tag(Bytes(32, std::byte{2}), Bytes(32, std::byte{3})));
  EXPECT_EQ(store->last_franking_tag(Bytes(32, std::byte{2})).value(), Bytes(32, std::byte{3}));
}

TEST(ChannelStoreMigrationTest, VersionFourDatabaseGainsModeratorPinsThatAreNeverReplaced) {
  TempDir dir;
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_franking_server_key(Bytes(32, std::byte{1})));
  }
  {
    // Back to what a version-4 build left: no moderator pins.
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(
        db->exec("DROP TABLE moderators; DROP TABLE disclosure_log_pin; " + std::string(drop_mls_tables) + " PRAGMA user_version = 4"));
  }
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->franking_server_key().value(), Bytes(32, std::byte{1})) << "version 4's data stays";
  auto none = store->pinned_moderators();
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_TRUE(none->empty());
  auto first = store->pin_moderator({"alice", Bytes(32, std::byte{7}), 10});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(*first);
  // The server naming another key for a pinned moderator changes nothing.
  EXPECT_FALSE(store->pin_moderator({"alice", Bytes(32, std::byte{8}), 20}).value());
  EXPECT_TRUE(store->pin_moderator({"bob", Bytes(32, std::byte{9}), 30}).value());
  EXPECT_FALSE(store->pin_moderator({"carol", Bytes(31, std::byte{9}), 30}));
  const auto pinned = store->pinned_moderators().value();
  ASSERT_EQ(pinned.size(), 2u);
  EXPECT_EQ(pinned[0].name, "alice");
  EXPECT_EQ(pinned[0].public_key, Bytes(32, std::byte{7}));
  EXPECT_EQ(pinned[0].pinned_at_ms, 10);
  EXPECT_EQ(pinned[1].name, "bob");
}

TEST(ChannelStoreMigrationTest, VersionFiveDatabaseGainsADisclosureLogPinThatIsNeverReplaced) {
  TempDir dir;
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->pin_moderator({"alice", Bytes(32, std::byte{7}), 10}));
  }
  {
    // Back to what a version-5 build left: no disclosure log pin.
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(db->exec("DROP TABLE disclosure_log_pin; " + std::string(drop_mls_tables) + " PRAGMA user_version = 5"));
  }
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->pinned_moderators().value().size(), 1u) << "version 5's data stays";
  auto none = store->disclosure_log_pin();
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_FALSE(*none);
  const client::PinnedDisclosureLog log{"log.example+0a0b0c0d+AAAA", {"w1+01+BB", "w2+02+CC"}, 2, 40};
  auto first = store->pin_disclosure_log(log);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(*first);
  // A second pin, whatever its keys, changes nothing.
  EXPECT_FALSE(store->pin_disclosure_log({"other.example+01+DD", {}, 0, 50}).value());
  const client::PinnedDisclosureLog pinned = store->disclosure_log_pin().value().value();
  EXPECT_EQ(pinned.log_key, log.log_key);
  EXPECT_EQ(pinned.witnesses, log.witnesses);
  EXPECT_EQ(pinned.quorum, 2u);
  EXPECT_EQ(pinned.pinned_at_ms, 40);
  // A quorum above the witnesses, or a witness that would split into lines, is not stored.
  EXPECT_FALSE(store->pin_disclosure_log({"k", {"w"}, 2, 1}));
  EXPECT_FALSE(store->pin_disclosure_log({"k", {"w\nx"}, 1, 1}));
}

}  // namespace
}  // namespace bulwark::testing
