// Channel requests against a real store: creation, signed appends in seq order, pushes to online
// subscribers, reads by cursor with "resync", private channels, views once per account.
#include "channel/entry.h"
#include "crypto/hash.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;

std::string as_string(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

struct Owner {
  testing::SeededRng rng{3};
  crypto::Ed25519KeyPair key = crypto::ed25519_keypair(rng);
  channel::ChannelId id = channel::channel_id_for_key(key.public_key.bytes());

  std::string create(const std::string& handle, bool is_private = false) {
    channel::Entry entry;
    entry.channel = id;
    entry.seq = 1;
    entry.kind = channel::EntryKind::create;
    entry.profile = {handle, "Title of " + handle, "", is_private, to_bytes(key.public_key.bytes())};
    EXPECT_TRUE(channel::sign_with_channel_key(entry, key.secret_key));
    return as_string(channel::encode_entry(entry).value());
  }
  std::string entry(std::uint64_t seq, std::string text, channel::EntryKind kind = channel::EntryKind::post,
                    std::uint64_t target = 0) {
    channel::Entry entry;
    entry.channel = id;
    entry.seq = seq;
    entry.time_ms = 1000 + seq;
    entry.kind = kind;
    entry.target = target;
    if (kind == channel::EntryKind::post || kind == channel::EntryKind::edit) entry.text = std::move(text);
    EXPECT_TRUE(channel::sign_with_channel_key(entry, key.secret_key));
    return as_string(channel::encode_entry(entry).value());
  }
  std::string id_bytes() const { return as_string(id); }
};

api::Request create_request(const std::string& entry, const std::string& invite_hash = {}) {
  api::Request request;
  request.mutable_channel_create()->set_create_entry(entry);
  request.mutable_channel_create()->set_invite_hash(invite_hash);
  return request;
}
api::Request append_request(const std::string& entry) {
  api::Request request;
  request.mutable_channel_append()->set_entry(entry);
  return request;
}
api::Request subscribe_request(const std::string& handle, const std::string& invite = {}) {
  api::Request request;
  request.mutable_channel_subscribe()->set_handle(handle);
  request.mutable_channel_subscribe()->set_invite(invite);
  return request;
}
api::Request read_request(const std::string& id, std::uint64_t after, std::uint32_t limit) {
  api::Request request;
  request.mutable_channel_read()->set_channel_id(id);
  request.mutable_channel_read()->set_after(after);
  request.mutable_channel_read()->set_limit(limit);
  return request;
}
api::Request info_request(const std::string& handle, const std::string& invite = {}) {
  api::Request request;
  request.mutable_channel_info()->set_handle(handle);
  request.mutable_channel_info()->set_invite(invite);
  return request;
}

std::vector<api::ChannelPush> channel_pushes(harness::FakeConnection& connection) {
  std::vector<api::ChannelPush> out;
  for (const auto& push : connection.take_pushes())
    if (push.has_channel_entry()) out.push_back(push.channel_entry());
  return out;
}

TEST(ChannelServerTest, CreatePostAndPushToOnlineSubscribersOnly) {
  ServerHarness h;
  Owner owner;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto carol = h.add_account("+12015550125");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  auto c = h.authenticated(carol);
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  ASSERT_EQ(h.call(*b, subscribe_request("@Free_Press")).status(), api::OK);
  (void)b->take_pushes();
  (void)c->take_pushes();

  api::Response posted = h.call(*a, append_request(owner.entry(2, "the order we refused")));
  ASSERT_EQ(posted.status(), api::OK) << posted.message();
  EXPECT_EQ(posted.channel_append().seq(), 2u);
  h.settle();
  auto pushes = channel_pushes(*b);
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].channel_id(), owner.id_bytes());
  EXPECT_EQ(pushes[0].entry().seq(), 2u);
  auto decoded = channel::decode_entry(as_bytes(pushes[0].entry().entry())).value();
  EXPECT_EQ(decoded.text, "the order we refused");
  EXPECT_TRUE(channel_pushes(*c).empty()) << "not a subscriber";

  api::Response info = h.call(*c, info_request("free_press"));
  ASSERT_EQ(info.status(), api::OK);
  EXPECT_EQ(info.channel_info().last_seq(), 2u);
  EXPECT_EQ(info.channel_info().subscribers(), 1u);
  EXPECT_FALSE(info.channel_info().subscribed());
}

TEST(ChannelServerTest, ASubscriberConnectingLaterGetsPushes) {
  ServerHarness h;
  Owner owner;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  {
    auto b = h.authenticated(bob);
    ASSERT_EQ(h.call(*b, subscribe_request("free_press")).status(), api::OK);
  }
  auto later = h.authenticated(bob);
  h.settle();
  (void)later->take_pushes();
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "hello"))).status(), api::OK);
  h.settle();
  EXPECT_EQ(channel_pushes(*later).size(), 1u);
}

TEST(ChannelServerTest, OnlyTheNextSeqIsAcceptedAndConflictSaysWhich) {
  ServerHarness h;
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "first"))).status(), api::OK);
  api::Response stale = h.call(*a, append_request(owner.entry(2, "raced")));
  EXPECT_EQ(stale.status(), api::CONFLICT);
  EXPECT_EQ(stale.channel_append().next_seq(), 3u);
  EXPECT_EQ(h.call(*a, append_request(owner.entry(5, "ahead"))).status(), api::CONFLICT);
  EXPECT_EQ(h.call(*a, append_request(owner.entry(3, "second"))).status(), api::OK);
}

TEST(ChannelServerTest, ForgedAlteredAndStrangerEntriesAreRefusedAndNothingStored) {
  ServerHarness h;
  Owner owner;
  Owner stranger;
  stranger.rng = testing::SeededRng(77);
  stranger.key = crypto::ed25519_keypair(stranger.rng);
  stranger.id = owner.id;  // claims to post in the owner's channel with its own key
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);

  api::Response by_stranger = h.call(*a, append_request(stranger.entry(2, "fake news")));
  EXPECT_EQ(by_stranger.status(), api::BAD_REQUEST);
  EXPECT_NE(by_stranger.message().find("not an admin"), std::string::npos) << by_stranger.message();

  std::string altered = owner.entry(2, "genuine text");
  altered[altered.find("genuine")] = 'G';
  api::Response changed = h.call(*a, append_request(altered));
  EXPECT_EQ(changed.status(), api::BAD_REQUEST);
  EXPECT_NE(changed.message().find("signature"), std::string::npos);

  EXPECT_EQ(h.call(*a, append_request("not an entry")).status(), api::BAD_REQUEST);
  EXPECT_EQ(h.call(*a, append_request(std::string(20'000, 'x'))).status(), api::TOO_LARGE);
  api::Response read = h.call(*a, read_request(owner.id_bytes(), 0, 10));
  ASSERT_EQ(read.status(), api::OK);
  EXPECT_EQ(read.channel_read().last_seq(), 1u);
  EXPECT_GE(h.metrics_.channel_entries_refused.load(), 3u);
}

TEST(ChannelServerTest, HandleTakenAndBadHandlesAreClearErrors) {
  ServerHarness h;
  Owner owner;
  Owner other;
  other.rng = testing::SeededRng(9);
  other.key = crypto::ed25519_keypair(other.rng);
  other.id = channel::channel_id_for_key(other.key.public_key.bytes());
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  api::Response taken = h.call(*a, create_request(other.create("free_press")));
  EXPECT_EQ(taken.status(), api::CONFLICT);
  EXPECT_NE(taken.message().find("taken"), std::string::npos);
  EXPECT_EQ(h.call(*a, info_request("no such handle!")).status(), api::BAD_REQUEST);
  EXPECT_EQ(h.call(*a, info_request("missing_one")).status(), api::NOT_FOUND);
}

TEST(ChannelServerTest, EditsAndRemovalsNeedALivePost) {
  ServerHarness h;
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "typo"))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(3, "fixed", channel::EntryKind::edit, 2))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(4, "", channel::EntryKind::remove, 2))).status(), api::OK);
  api::Response again = h.call(*a, append_request(owner.entry(5, "", channel::EntryKind::remove, 2)));
  EXPECT_EQ(again.status(), api::BAD_REQUEST);
  EXPECT_NE(again.message().find("removed"), std::string::npos);
  EXPECT_EQ(h.call(*a, append_request(owner.entry(5, "x", channel::EntryKind::edit, 3))).status(), api::BAD_REQUEST);
  api::Response read = h.call(*a, read_request(owner.id_bytes(), 1, 10));
  ASSERT_EQ(read.channel_read().entries_size(), 3);
  EXPECT_TRUE(read.channel_read().entries(0).entry().empty());
  EXPECT_EQ(read.channel_read().entries(0).deleted_by(), 4u);
  EXPECT_TRUE(read.channel_read().entries(1).entry().empty());
}

TEST(ChannelServerTest, ReadsByCursorWithResyncAndClearErrors) {
  ServerConfig config;
  config.channel_resync_window = 100;
  ServerHarness h(config);
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  for (std::uint64_t seq = 2; seq <= 251; ++seq)
    ASSERT_EQ(h.call(*a, append_request(owner.entry(seq, "post " + std::to_string(seq)))).status(), api::OK);

  api::Response page = h.call(*a, read_request(owner.id_bytes(), 200, 20));
  ASSERT_EQ(page.status(), api::OK);
  EXPECT_FALSE(page.channel_read().resynced());
  ASSERT_EQ(page.channel_read().entries_size(), 20);
  EXPECT_EQ(page.channel_read().entries(0).seq(), 201u);
  EXPECT_EQ(page.channel_read().last_seq(), 251u);

  api::Response far = h.call(*a, read_request(owner.id_bytes(), 10, 30));
  ASSERT_EQ(far.status(), api::OK);
  EXPECT_TRUE(far.channel_read().resynced());
  ASSERT_EQ(far.channel_read().entries_size(), 30);
  EXPECT_EQ(far.channel_read().entries(0).seq(), 222u);
  EXPECT_EQ(far.channel_read().entries(29).seq(), 251u);

  api::Response unknown = h.call(*a, read_request(owner.id_bytes(), 252, 10));
  EXPECT_EQ(unknown.status(), api::BAD_REQUEST);
  EXPECT_NE(unknown.message().find("unknown cursor"), std::string::npos);
  EXPECT_EQ(h.call(*a, read_request(owner.id_bytes(), 0, 0)).status(), api::BAD_REQUEST);
  EXPECT_EQ(h.call(*a, read_request(owner.id_bytes(), 0, 1001)).status(), api::BAD_REQUEST);
  EXPECT_EQ(h.call(*a, read_request("short", 0, 10)).status(), api::BAD_REQUEST);
  EXPECT_EQ(h.call(*a, read_request(std::string(16, 'z'), 0, 10)).status(), api::NOT_FOUND);
}

TEST(ChannelServerTest, AReadStopsBeforeItsAnswerGrowsTooLargeAndTheReaderContinues) {
  ServerHarness h;
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  for (std::uint64_t seq = 2; seq <= 201; ++seq)
    ASSERT_EQ(h.call(*a, append_request(owner.entry(seq, std::string(4000, 'a' + seq % 26)))).status(), api::OK);
  std::uint64_t after = 0;
  int pages = 0;
  while (after < 201) {
    api::Response page = h.call(*a, read_request(owner.id_bytes(), after, 1000));
    ASSERT_EQ(page.status(), api::OK);
    ASSERT_GT(page.channel_read().entries_size(), 0);
    EXPECT_LE(page.ByteSizeLong(), 600u * 1024) << "page " << pages;
    EXPECT_EQ(page.channel_read().entries(0).seq(), after + 1);
    after = page.channel_read().entries(page.channel_read().entries_size() - 1).seq();
    ++pages;
  }
  EXPECT_GE(pages, 2);
}

TEST(ChannelServerTest, PrivateChannelsAreHiddenWithoutTheInvite) {
  ServerHarness h;
  Owner owner;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  const std::string secret(32, 's');
  const crypto::Sha256Digest hash = crypto::sha256(as_bytes(secret));
  EXPECT_EQ(h.call(*a, create_request(owner.create("inner_circle", true))).status(), api::BAD_REQUEST)
      << "a private channel needs its invite hash";
  ASSERT_EQ(h.call(*a, create_request(owner.create("inner_circle", true), as_string(hash))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "members only"))).status(), api::OK);

  EXPECT_EQ(h.call(*b, info_request("inner_circle")).status(), api::NOT_FOUND);
  EXPECT_EQ(h.call(*b, subscribe_request("inner_circle")).status(), api::NOT_FOUND);
  EXPECT_EQ(h.call(*b, subscribe_request("inner_circle", std::string(32, 'x'))).status(), api::NOT_FOUND);
  EXPECT_EQ(h.call(*b, read_request(owner.id_bytes(), 0, 10)).status(), api::NOT_FOUND);
  EXPECT_EQ(h.call(*a, info_request("inner_circle")).status(), api::OK) << "the owner sees it";

  ASSERT_EQ(h.call(*b, subscribe_request("inner_circle", secret)).status(), api::OK);
  api::Response read = h.call(*b, read_request(owner.id_bytes(), 0, 10));
  ASSERT_EQ(read.status(), api::OK);
  EXPECT_EQ(read.channel_read().entries_size(), 2);
}

TEST(ChannelServerTest, ViewsCountOncePerAccount) {
  ServerHarness h;
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "seen"))).status(), api::OK);
  auto view = [&](harness::FakeConnection& connection) {
    api::Request request;
    request.mutable_channel_viewed()->set_channel_id(owner.id_bytes());
    request.mutable_channel_viewed()->add_seqs(2);
    request.mutable_channel_viewed()->add_seqs(99);  // unknown: ignored
    ASSERT_EQ(h.call(connection, request).status(), api::OK);
  };
  std::vector<std::shared_ptr<harness::FakeConnection>> readers;
  for (int i = 0; i < 5; ++i) {
    readers.push_back(h.authenticated(h.add_account("+1201555020" + std::to_string(i))));
    view(*readers.back());
    view(*readers.back());
  }
  api::Response read = h.call(*a, read_request(owner.id_bytes(), 1, 10));
  ASSERT_EQ(read.channel_read().entries_size(), 1);
  EXPECT_EQ(read.channel_read().entries(0).views(), 5u);
}

TEST(ChannelServerTest, UnsubscribeStopsPushesAndListShowsSubscriptions) {
  ServerHarness h;
  Owner owner;
  auto a = h.authenticated(h.add_account("+12015550123"));
  auto b = h.authenticated(h.add_account("+12015550124"));
  ASSERT_EQ(h.call(*a, create_request(owner.create("free_press"))).status(), api::OK);
  ASSERT_EQ(h.call(*b, subscribe_request("free_press")).status(), api::OK);
  api::Request list;
  list.mutable_channel_list();
  api::Response listed = h.call(*b, list);
  ASSERT_EQ(listed.channel_list().channels_size(), 1);
  EXPECT_EQ(listed.channel_list().channels(0).handle(), "free_press");
  api::Request unsubscribe;
  unsubscribe.mutable_channel_unsubscribe()->set_handle("free_press");
  ASSERT_EQ(h.call(*b, unsubscribe).status(), api::OK);
  (void)b->take_pushes();
  ASSERT_EQ(h.call(*a, append_request(owner.entry(2, "after"))).status(), api::OK);
  h.settle();
  EXPECT_TRUE(channel_pushes(*b).empty());
  EXPECT_EQ(h.call(*b, list).channel_list().channels_size(), 0);
}

}  // namespace
}  // namespace bulwark::server
