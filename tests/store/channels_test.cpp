// Conformance: channels - one log per channel, subscriptions and their count, removals that
// erase, bounded pages.
#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

ChannelId channel_id(std::uint8_t n) {
  ChannelId id;
  id.bytes.fill(std::byte{n});
  return id;
}

Channel new_channel(std::uint8_t n, const AccountId& owner, std::string handle) {
  Channel channel;
  channel.id = channel_id(n);
  channel.handle = std::move(handle);
  channel.owner = owner;
  channel.channel_key = Bytes(32, std::byte{n});
  channel.create_entry = Bytes(100, std::byte{0xC0});
  channel.created_ms = 1'000;
  return channel;
}

ChannelEntry entry(std::uint64_t seq, ChannelEntryKind kind = ChannelEntryKind::post,
                   std::uint64_t target = 0) {
  ChannelEntry out;
  out.seq = seq;
  out.kind = kind;
  out.target = target;
  out.entry = Bytes(40, static_cast<std::byte>(seq));
  out.server_time_ms = 2'000 + static_cast<std::int64_t>(seq);
  return out;
}

TEST_P(StoreChannelsTest, CreateStoresTheCreateEntryAsSeqOne) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  const auto by_handle = must(store().channel_by_handle("free_press"));
  ASSERT_TRUE(by_handle);
  EXPECT_EQ(*by_handle, created);
  EXPECT_EQ(must(store().channel(created.id)), by_handle);
  const auto entries = must(store().channel_entries(created.id, 0, 10));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].seq, 1u);
  EXPECT_EQ(entries[0].kind, ChannelEntryKind::create);
  EXPECT_EQ(entries[0].entry, created.create_entry);
  EXPECT_FALSE(must(store().channel_by_handle("other_name")));
}

TEST_P(StoreChannelsTest, HandleAndIdAreUnique) {
  const DeviceAddress alice = registered(1);
  must(store().create_channel(new_channel(1, alice.account, "free_press")));
  EXPECT_EQ(store().create_channel(new_channel(2, alice.account, "free_press")).error().code,
            Errc::conflict);
  EXPECT_EQ(store().create_channel(new_channel(1, alice.account, "other_name")).error().code,
            Errc::conflict);
  EXPECT_FALSE(must(store().channel_by_handle("other_name")));
  EXPECT_FALSE(must(store().channel(channel_id(2))));
}

TEST_P(StoreChannelsTest, AppendTakesOnlyTheNextSeq) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  EXPECT_EQ(store().append_channel_entry(created.id, entry(3)).error().code, Errc::conflict);
  EXPECT_EQ(store().append_channel_entry(created.id, entry(1)).error().code, Errc::conflict);
  must(store().append_channel_entry(created.id, entry(2)));
  EXPECT_EQ(store().append_channel_entry(created.id, entry(2)).error().code, Errc::conflict);
  must(store().append_channel_entry(created.id, entry(3)));
  EXPECT_EQ(must(store().channel(created.id))->last_seq, 3u);
  EXPECT_EQ(store().append_channel_entry(channel_id(9), entry(2)).error().code,
            Errc::not_found);
  const auto entries = must(store().channel_entries(created.id, 1, 10));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0], entry(2));
  EXPECT_EQ(entries[1], entry(3));
}

TEST_P(StoreChannelsTest, EditMarksThePostAndRemovalErasesPostAndEdits) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  must(store().append_channel_entry(created.id, entry(2)));
  must(store().append_channel_entry(created.id, entry(3, ChannelEntryKind::edit, 2)));
  EXPECT_EQ(must(store().channel_entry(created.id, 2))->edited_by, 3u);
  must(store().set_channel_views(created.id, 2, Bytes(256, std::byte{1})));
  must(store().append_channel_entry(created.id, entry(4, ChannelEntryKind::remove, 2)));
  const auto post = must(store().channel_entry(created.id, 2));
  ASSERT_TRUE(post);
  EXPECT_TRUE(post->entry.empty());
  EXPECT_TRUE(post->views.empty());
  EXPECT_EQ(post->deleted_by, 4u);
  const auto edit = must(store().channel_entry(created.id, 3));
  EXPECT_TRUE(edit->entry.empty());
  EXPECT_EQ(edit->deleted_by, 4u);
  EXPECT_FALSE(must(store().channel_entry(created.id, 4))->entry.empty());
}

TEST_P(StoreChannelsTest, PostsBeforeAreTheNewestPostsInOrder) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  for (std::uint64_t seq = 2; seq <= 30; ++seq) {
    must(store().append_channel_entry(
        created.id, seq % 10 == 0 ? entry(seq, ChannelEntryKind::edit, seq - 1) : entry(seq)));
  }
  const auto page = must(store().channel_posts_before(created.id, 31, 5));
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page.front().seq, 25u);
  EXPECT_EQ(page.back().seq, 29u);
  const auto older = must(store().channel_posts_before(created.id, 21, 3));
  ASSERT_EQ(older.size(), 3u);
  EXPECT_EQ(older[0].seq, 17u);
  EXPECT_EQ(older[1].seq, 18u);
  EXPECT_EQ(older[2].seq, 19u);
  EXPECT_TRUE(must(store().channel_posts_before(created.id, 2, 5)).empty());
}

// Where newer pages start: the posts from a seq on, found however many edits lie between.
TEST_P(StoreChannelsTest, PostSeqsFromSkipOtherEntries) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  must(store().append_channel_entry(created.id, entry(2)));
  for (std::uint64_t seq = 3; seq <= 1503; ++seq)
    must(store().append_channel_entry(created.id, entry(seq, ChannelEntryKind::edit, 2)));
  for (std::uint64_t seq = 1504; seq <= 1506; ++seq) must(store().append_channel_entry(created.id, entry(seq)));
  EXPECT_EQ(must(store().channel_post_seqs_from(created.id, 2, 3)), (std::vector<std::uint64_t>{2, 1504, 1505}));
  EXPECT_EQ(must(store().channel_post_seqs_from(created.id, 3, 10)), (std::vector<std::uint64_t>{1504, 1505, 1506}));
  EXPECT_EQ(must(store().channel_post_seqs_from(created.id, 0, 1)), std::vector<std::uint64_t>{2});
  EXPECT_TRUE(must(store().channel_post_seqs_from(created.id, 1507, 5)).empty());
  ChannelId unknown = created.id;
  unknown.bytes[0] ^= std::byte{1};
  EXPECT_TRUE(must(store().channel_post_seqs_from(unknown, 0, 5)).empty());
}

TEST_P(StoreChannelsTest, PagesAreBounded) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  for (std::uint64_t seq = 2; seq <= max_channel_page + 10; ++seq)
    must(store().append_channel_entry(created.id, entry(seq)));
  EXPECT_EQ(must(store().channel_entries(created.id, 0, 100'000)).size(), max_channel_page);
  EXPECT_EQ(must(store().channel_posts_before(created.id, 1'000'000, 100'000)).size(),
            max_channel_page);
  EXPECT_TRUE(must(store().channel_entries(created.id, 0, 0)).empty());
}

TEST_P(StoreChannelsTest, AdminEntriesAreListedInOrder) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  must(store().append_channel_entry(created.id, entry(2)));
  must(store().append_channel_entry(created.id, entry(3, ChannelEntryKind::admin_add)));
  must(store().append_channel_entry(created.id, entry(4)));
  must(store().append_channel_entry(created.id, entry(5, ChannelEntryKind::admin_remove)));
  const auto admins = must(store().channel_admin_entries(created.id));
  ASSERT_EQ(admins.size(), 2u);
  EXPECT_EQ(admins[0].seq, 3u);
  EXPECT_EQ(admins[1].seq, 5u);
}

TEST_P(StoreChannelsTest, SubscriptionsKeepTheirCount) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  const Channel first = new_channel(1, alice.account, "free_press");
  const Channel second = new_channel(2, alice.account, "night_news");
  must(store().create_channel(first));
  must(store().create_channel(second));
  EXPECT_TRUE(must(store().subscribe(bob.account, first.id, 5)));
  EXPECT_FALSE(must(store().subscribe(bob.account, first.id, 6)));
  EXPECT_TRUE(must(store().subscribe(alice.account, first.id, 7)));
  EXPECT_TRUE(must(store().subscribe(bob.account, second.id, 8)));
  EXPECT_EQ(must(store().channel(first.id))->subscribers, 2u);
  EXPECT_TRUE(must(store().is_subscribed(bob.account, first.id)));
  const auto bobs = must(store().subscriptions(bob.account, 100));
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(bobs[0].id, first.id);
  EXPECT_EQ(bobs[1].id, second.id);
  EXPECT_TRUE(must(store().unsubscribe(bob.account, first.id)));
  EXPECT_FALSE(must(store().unsubscribe(bob.account, first.id)));
  EXPECT_EQ(must(store().channel(first.id))->subscribers, 1u);
  EXPECT_FALSE(must(store().is_subscribed(bob.account, first.id)));
  EXPECT_EQ(store().subscribe(bob.account, channel_id(9), 9).error().code, Errc::not_found);
}

TEST_P(StoreChannelsTest, ViewsNeedAnExistingEntryAndSurviveReopen) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  must(store().append_channel_entry(created.id, entry(2)));
  EXPECT_EQ(store().set_channel_views(created.id, 9, Bytes(256)).error().code, Errc::not_found);
  must(store().set_channel_views(created.id, 2, Bytes(256, std::byte{3})));
  backend().reopen();
  EXPECT_EQ(must(store().channel_entry(created.id, 2))->views, Bytes(256, std::byte{3}));
  EXPECT_EQ(must(store().channel(created.id))->last_seq, 2u);
}

TEST_P(StoreChannelsTest, AFailedAppendLeavesNothingBehind) {
  const DeviceAddress alice = registered(1);
  const Channel created = new_channel(1, alice.account, "free_press");
  must(store().create_channel(created));
  must(store().append_channel_entry(created.id, entry(2)));
  fail_each_statement(
      [&] { return store().append_channel_entry(created.id, entry(3, ChannelEntryKind::remove, 2)); },
      [&] {
        EXPECT_EQ(must(store().channel(created.id))->last_seq, 2u);
        EXPECT_FALSE(must(store().channel_entry(created.id, 2))->entry.empty());
        EXPECT_FALSE(must(store().channel_entry(created.id, 3)));
      });
  EXPECT_EQ(must(store().channel_entry(created.id, 2))->deleted_by, 3u);
}

}  // namespace
}  // namespace bulwark::store::conformance
