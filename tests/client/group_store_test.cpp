// The MLS group tables of the local store (client/group_store.h, schema v7): round trips, the
// one-time/last-resort KeyPackage rule, the bounded commit history, durable events, the upgrade
// from a version-6 database, the pending commit, and no secret in the clear on disk.
#include "client/group_store.h"

#include <gtest/gtest.h>

#include "client/detail/schema.h"
#include "client/detail/sqlite.h"
#include "client/group_event_codec.h"
#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using client::GroupStore;
using client::StoredGroup;
using client::StoredKeyPackage;

Bytes group_id_of(std::uint8_t fill) { return Bytes(32, std::byte{fill}); }

SecretBytes secret_of(std::string_view text) { return SecretBytes::copy_of(as_bytes(text)); }

StoredKeyPackage key_package_of(std::uint8_t fill, bool last_resort) {
  return StoredKeyPackage{Bytes(32, std::byte{fill}), Bytes(100, std::byte{fill}),
                          SecretBytes::copy_of(Bytes(64, std::byte{fill})), last_resort, fill};
}

class GroupStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<client::LocalStore> store_ = open_store(dir_.data());
  GroupStore groups_{*store_};
};

TEST_F(GroupStoreTest, TheSignerIsSavedOnceAndNeverReplaced) {
  EXPECT_FALSE(groups_.signer().value());
  ASSERT_TRUE(
      groups_.save_signer({SecretBytes::copy_of(Bytes(32, std::byte{7})), Bytes{std::byte{1}}}));
  auto again = groups_.save_signer({SecretBytes::copy_of(Bytes(32, std::byte{8})), Bytes{}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  const auto signer = groups_.signer().value().value();
  EXPECT_EQ(to_bytes(signer.seed.view()), Bytes(32, std::byte{7}));
  EXPECT_EQ(signer.credential, Bytes{std::byte{1}});
  EXPECT_FALSE(groups_.save_signer({SecretBytes::copy_of(Bytes(31, std::byte{1})), Bytes{}}));
}

TEST_F(GroupStoreTest, AOneTimeKeyPackageIsConsumedAndALastResortOneKept) {
  ASSERT_TRUE(groups_.add_key_package(key_package_of(1, false)));
  ASSERT_TRUE(groups_.add_key_package(key_package_of(2, false)));
  ASSERT_TRUE(groups_.add_key_package(key_package_of(3, true)));
  EXPECT_EQ(groups_.add_key_package(key_package_of(1, false)).error().code, Errc::conflict);
  EXPECT_EQ(groups_.key_package_count(false).value(), 2u);
  EXPECT_EQ(groups_.key_package_count(true).value(), 1u);
  const auto all = groups_.key_packages().value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].ref, Bytes(32, std::byte{1}));
  EXPECT_EQ(to_bytes(all[2].private_keys.view()), Bytes(64, std::byte{3}));
  EXPECT_TRUE(all[2].last_resort);
  ASSERT_TRUE(groups_.consume_key_package(Bytes(32, std::byte{1})));
  ASSERT_TRUE(groups_.consume_key_package(Bytes(32, std::byte{3})));
  EXPECT_EQ(groups_.key_package_count(false).value(), 1u);
  EXPECT_EQ(groups_.key_package_count(true).value(), 1u) << "the last-resort one stays";
}

TEST_F(GroupStoreTest, AFullStoreMakesRoomByDroppingTheOldestOneTimeKeyPackage) {
  ASSERT_TRUE(groups_.add_key_package(key_package_of(0, true)));
  for (std::size_t i = 1; i < client::max_stored_key_packages; ++i) {
    auto package = key_package_of(1, false);
    package.ref = Bytes(32, std::byte{1});
    package.ref[0] = std::byte(i & 0xff);
    package.ref[1] = std::byte(i >> 8);
    package.created_at_ms = static_cast<std::int64_t>(i);
    ASSERT_TRUE(groups_.add_key_package(package));
  }
  ASSERT_TRUE(groups_.add_key_package(key_package_of(0xfe, false)));
  const auto all = groups_.key_packages().value();
  EXPECT_EQ(all.size(), client::max_stored_key_packages);
  EXPECT_EQ(groups_.key_package_count(true).value(), 1u) << "the last-resort one stays";
  bool oldest_one_time_left = false;
  for (const auto& package : all)
    oldest_one_time_left =
        oldest_one_time_left || (package.created_at_ms == 1 && !package.last_resort);
  EXPECT_FALSE(oldest_one_time_left);
}

TEST_F(GroupStoreTest, AGroupRoundTripsAndClosingDropsItsState) {
  StoredGroup group{group_id_of(9), "book club", secret_of("state-one"), 3, false};
  ASSERT_TRUE(groups_.save_group(group));
  group.state = secret_of("state-two");
  group.epoch = 4;
  ASSERT_TRUE(groups_.save_group(group));
  auto loaded = groups_.group(group_id_of(9)).value().value();
  EXPECT_EQ(loaded.name, "book club");
  EXPECT_EQ(loaded.epoch, 4u);
  EXPECT_EQ(to_bytes(loaded.state->view()), to_bytes(as_bytes("state-two")));
  EXPECT_FALSE(loaded.closed);
  EXPECT_FALSE(groups_.save_group({group_id_of(10), "open without state", std::nullopt, 0, false}));
  EXPECT_EQ(groups_.group(Bytes(16, std::byte{1})).error().code, Errc::invalid_length);
  ASSERT_TRUE(groups_.save_group({group_id_of(9), "book club", std::nullopt, 5, true}));
  loaded = groups_.group(group_id_of(9)).value().value();
  EXPECT_TRUE(loaded.closed);
  EXPECT_FALSE(loaded.state);
  const auto listed = groups_.groups().value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].epoch, 5u);
  ASSERT_TRUE(groups_.delete_group(group_id_of(9)));
  EXPECT_FALSE(groups_.group(group_id_of(9)).value());
}

TEST_F(GroupStoreTest, TheCommitHistoryKeepsRecentEpochsAndSurvivesStateUpdates) {
  StoredGroup group{group_id_of(9), "g", secret_of("s"), 0, false};
  ASSERT_TRUE(groups_.save_group(group));
  for (std::uint64_t epoch = 0; epoch < client::max_commit_history + 5; ++epoch) {
    ASSERT_TRUE(groups_.record_commit(group_id_of(9), epoch, Bytes(32, std::byte(epoch & 0xff))));
    group.epoch = epoch + 1;
    ASSERT_TRUE(groups_.save_group(group)) << "an update must not cascade to the history";
  }
  EXPECT_FALSE(groups_.commit_hash(group_id_of(9), 4).value()) << "older than the history";
  const auto kept = groups_.commit_hash(group_id_of(9), 6).value();
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, Bytes(32, std::byte{6}));
  EXPECT_TRUE(groups_.commit_hash(group_id_of(9), client::max_commit_history + 4).value());
  EXPECT_FALSE(groups_.record_commit(group_id_of(9), 1, Bytes(31, std::byte{1})));
}

TEST_F(GroupStoreTest, OnePendingCommitPerGroupRoundTripsAndGoesWithTheGroup) {
  const Bytes id = group_id_of(5);
  const client::PendingCommit first{3, secret_of("next-state-1"), Bytes(32, std::byte{1}), "e1"};
  EXPECT_FALSE(groups_.save_pending_commit(id, first)) << "no such group yet";
  ASSERT_TRUE(groups_.save_group({id, "g", secret_of("s"), 3, false}));
  EXPECT_FALSE(groups_.pending_commit(id).value());
  ASSERT_TRUE(groups_.save_pending_commit(id, first));
  ASSERT_TRUE(groups_.save_pending_commit(
      id, {3, secret_of("next-state-2"), Bytes(32, std::byte{2}), "e2"}));
  auto pending = groups_.pending_commit(id).value();
  ASSERT_TRUE(pending) << "the second replaced the first";
  EXPECT_EQ(pending->epoch, 3u);
  EXPECT_EQ(to_bytes(pending->state.view()), to_bytes(secret_of("next-state-2").view()));
  EXPECT_EQ(pending->commit_hash, Bytes(32, std::byte{2}));
  EXPECT_EQ(pending->event, "e2");
  EXPECT_FALSE(groups_.save_pending_commit(id, {3, secret_of("x"), Bytes(31), "e"}));
  EXPECT_FALSE(groups_.pending_commit(Bytes(31)));

  ASSERT_TRUE(groups_.save_group({id, "g", secret_of("s2"), 3, false}));
  EXPECT_TRUE(groups_.pending_commit(id).value()) << "a state update keeps it";
  ASSERT_TRUE(groups_.clear_pending_commit(id));
  EXPECT_FALSE(groups_.pending_commit(id).value());
  ASSERT_TRUE(groups_.save_pending_commit(id, first));
  ASSERT_TRUE(groups_.delete_group(id));
  EXPECT_FALSE(groups_.pending_commit(id).value()) << "deleted with its group";
}

TEST_F(GroupStoreTest, EventsStayUntilShownAndRoundTripThroughTheirCodec) {
  client::GroupEvent event;
  event.kind = client::GroupEvent::Kind::roster;
  event.group_id = to_hex(group_id_of(9));
  event.group_name = "book club";
  event.epoch = 7;
  client::GroupMember alice{0, "a-uuid", 1, "+15555550100", std::nullopt, true};
  client::GroupMember bob{1, "b-uuid", 2, std::nullopt, "bob.01", false};
  event.from = alice;
  event.changes.push_back({client::RosterChange::Kind::removed, bob, alice});
  const auto first = groups_.add_event(client::encode_group_event(event)).value();
  ASSERT_TRUE(groups_.add_event("not json"));
  auto unshown = groups_.unshown_events(10).value();
  ASSERT_EQ(unshown.size(), 2u);
  EXPECT_EQ(unshown[0].seq, first);
  const auto decoded = client::decode_group_event(unshown[0].event).value();
  EXPECT_EQ(decoded.kind, client::GroupEvent::Kind::roster);
  EXPECT_EQ(decoded.epoch, 7u);
  ASSERT_TRUE(decoded.from);
  EXPECT_EQ(decoded.from->display(), "+15555550100");
  ASSERT_EQ(decoded.changes.size(), 1u);
  EXPECT_EQ(decoded.changes[0].kind, client::RosterChange::Kind::removed);
  EXPECT_EQ(decoded.changes[0].subject.display(), "@bob.01");
  EXPECT_EQ(decoded.changes[0].subject.device_id, 2u);
  EXPECT_FALSE(client::decode_group_event(unshown[1].event));
  EXPECT_FALSE(client::decode_group_event(R"({"kind":"message"})"));
  EXPECT_FALSE(client::decode_group_event(R"({"kind":"nope","group_id":""})"));
  ASSERT_TRUE(groups_.mark_event_shown(first));
  EXPECT_EQ(groups_.mark_event_shown(first).error().code, Errc::not_found);
  EXPECT_EQ(groups_.unshown_events(10).value().size(), 1u);
  EXPECT_FALSE(groups_.unshown_events(client::max_group_events_batch + 1));
}

TEST_F(GroupStoreTest, NoGroupSecretOrNameIsOnDiskInTheClear) {
  const std::string state_marker = "group-state-marker-0123456789";
  const std::string seed_marker(32, '\x5a');
  ASSERT_TRUE(
      groups_.save_group({group_id_of(9), "secret-group-name", secret_of(state_marker), 1, false}));
  ASSERT_TRUE(groups_.save_signer({SecretBytes::copy_of(as_bytes(seed_marker)), Bytes{}}));
  const std::string pending_marker = "pending-state-marker-0123456789";
  ASSERT_TRUE(groups_.save_pending_commit(
      group_id_of(9), {1, secret_of(pending_marker), Bytes(32, std::byte{3}), "event"}));
  store_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_.data())) {
    const std::string contents = read_file(entry.path());
    EXPECT_EQ(contents.find(state_marker), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find(seed_marker), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find(pending_marker), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find("secret-group-name"), std::string::npos) << entry.path();
  }
}

TEST(GroupStoreMigrationTest, VersionSixDatabaseGainsTheGroupTablesKeepingItsData) {
  TempDir dir;
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->pin_moderator({"alice", Bytes(32, std::byte{7}), 10}));
  }
  {
    // Back to what a version-6 build left: no MLS tables.
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(
        db->exec("DROP TABLE mls_pending_commits; DROP TABLE mls_group_events; DROP TABLE "
                 "mls_commits; DROP TABLE mls_groups;"
                 " DROP TABLE mls_key_packages; DROP TABLE mls_signer; PRAGMA user_version = 6"));
  }
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  EXPECT_EQ(client::detail::schema_version, 7);
  EXPECT_EQ(store->pinned_moderators().value().size(), 1u) << "version 6's data stays";
  GroupStore groups(*store);
  EXPECT_TRUE(groups.groups().value().empty());
  ASSERT_TRUE(groups.save_group({group_id_of(1), "g", secret_of("s"), 0, false}));
  ASSERT_TRUE(groups.add_key_package(key_package_of(1, true)));
  EXPECT_EQ(groups.key_package_count(true).value(), 1u);
}

}  // namespace
}  // namespace bulwark::testing
