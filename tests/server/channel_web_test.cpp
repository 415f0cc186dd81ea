// The web preview from the store: pages, one post, the feed, private channels as 404, and a post
// altered in the database shown as unverified (server/channel_web.h).
#include "server/channel_web.h"

#include <gtest/gtest.h>

#include "channel/entry.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;

struct Fixture {
  ServerHarness h;
  testing::SeededRng rng{5};
  crypto::Ed25519KeyPair key = crypto::ed25519_keypair(rng);
  channel::ChannelId id = channel::channel_id_for_key(key.public_key.bytes());
  store::ChannelId store_id = [this] {
    store::ChannelId out;
    std::copy(id.begin(), id.end(), out.bytes.begin());
    return out;
  }();
  std::uint64_t next_seq = 2;

  Bytes signed_entry(channel::Entry entry) {
    entry.channel = id;
    EXPECT_TRUE(channel::sign_with_channel_key(entry, key.secret_key));
    return channel::encode_entry(entry).value();
  }
  void create(const std::string& handle, bool is_private = false) {
    channel::Entry entry;
    entry.seq = 1;
    entry.kind = channel::EntryKind::create;
    entry.profile = {handle, "The <b>Free</b> Press", "Orders & answers", is_private,
                     to_bytes(key.public_key.bytes())};
    store::Channel channel;
    channel.id = store_id;
    channel.handle = handle;
    channel.channel_key = to_bytes(key.public_key.bytes());
    channel.is_private = is_private;
    channel.invite_hash = is_private ? Bytes(32) : Bytes{};
    channel.create_entry = signed_entry(entry);
    h.with_store([&](store::Store& store) { ASSERT_TRUE(store.create_channel(channel)); });
  }
  std::uint64_t append(channel::EntryKind kind, std::string text, std::uint64_t target = 0) {
    channel::Entry entry;
    entry.seq = next_seq++;
    entry.time_ms = 1'800'000'000'000 + entry.seq * 1000;
    entry.kind = kind;
    entry.text = std::move(text);
    entry.target = target;
    store::ChannelEntry row;
    row.seq = entry.seq;
    row.kind = static_cast<store::ChannelEntryKind>(kind);
    row.target = target;
    row.entry = signed_entry(entry);
    row.server_time_ms = 1'800'000'000'500;
    h.with_store([&](store::Store& store) { ASSERT_TRUE(store.append_channel_entry(store_id, row)); });
    return row.seq;
  }
  WebReply get(const std::string& target, std::uint32_t page_posts = 20) {
    const web::WebRoute route = web::parse_web_target(target);
    WebData data;
    h.with_store([&](store::Store& store) { data = load_web_data(store, route, page_posts).value(); });
    return build_web_reply(data, route, "https://news.example");
  }
};

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(ChannelWebTest, PageShowsVerifiedPostsNewestLastAndPagesBack) {
  Fixture f;
  f.create("free_press");
  for (int i = 0; i < 7; ++i) f.append(channel::EntryKind::post, "post number " + std::to_string(i));
  WebReply newest = f.get("/s/free_press", 3);
  ASSERT_EQ(newest.status, 200);
  EXPECT_EQ(count(newest.body, "data-signature=\"verified\""), 3u);
  EXPECT_EQ(count(newest.body, "data-signature=\"invalid\""), 0u);
  EXPECT_LT(newest.body.find("post number 4"), newest.body.find("post number 6"));
  EXPECT_EQ(newest.body.find("post number 3"), std::string::npos);
  EXPECT_NE(newest.body.find("href=\"/s/free_press?before=6\""), std::string::npos) << "older link";
  EXPECT_NE(newest.body.find("The &lt;b&gt;Free&lt;/b&gt; Press"), std::string::npos);

  WebReply older = f.get("/s/free_press?before=6", 3);
  ASSERT_EQ(older.status, 200);
  EXPECT_NE(older.body.find("post number 1"), std::string::npos);
  EXPECT_NE(older.body.find("post number 3"), std::string::npos);
  EXPECT_EQ(older.body.find("post number 4"), std::string::npos);
}

// "Newer posts" from an older page names the next page's start, however many entries that are
// not posts (here 1,200 edits) lie between the pages.
TEST(ChannelWebTest, NewerLinkSkipsAnyNumberOfEntriesThatAreNotPosts) {
  Fixture f;
  f.create("free_press");
  for (int i = 0; i < 4; ++i) f.append(channel::EntryKind::post, "early post " + std::to_string(i));
  for (int i = 0; i < 1200; ++i) f.append(channel::EntryKind::edit, "early post 0, again", 2);
  std::vector<std::uint64_t> later;
  for (int i = 0; i < 4; ++i) later.push_back(f.append(channel::EntryKind::post, "later post " + std::to_string(i)));
  // The page before post 4 (seqs 2 and 3); its newer page starts at post 4 (seq 4).
  WebReply oldest = f.get("/s/free_press?before=4", 2);
  ASSERT_EQ(oldest.status, 200);
  EXPECT_NE(oldest.body.find("href=\"/s/free_press?before=" + std::to_string(later[0]) + "\""),
            std::string::npos) << "the newer link must skip the edits to the first later post";
  // The page before it (early posts 2 and 3) links to the first two later posts' page.
  WebReply middle = f.get("/s/free_press?before=" + std::to_string(later[0]), 2);
  EXPECT_NE(middle.body.find("early post 3"), std::string::npos);
  EXPECT_NE(middle.body.find("href=\"/s/free_press?before=" + std::to_string(later[2]) + "\""),
            std::string::npos);
}

TEST(ChannelWebTest, EditsShowTheNewTextAndRemovalsHideThePost) {
  Fixture f;
  f.create("free_press");
  const auto typo = f.append(channel::EntryKind::post, "teh order");
  f.append(channel::EntryKind::edit, "the order", typo);
  const auto gone = f.append(channel::EntryKind::post, "regretted words");
  f.append(channel::EntryKind::remove, "", gone);
  WebReply page = f.get("/s/free_press");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("the order"), std::string::npos);
  EXPECT_EQ(page.body.find("teh order"), std::string::npos);
  EXPECT_NE(page.body.find("class=\"edited\""), std::string::npos);
  EXPECT_EQ(page.body.find("regretted words"), std::string::npos);
  EXPECT_NE(page.body.find("This post was removed."), std::string::npos);
  EXPECT_EQ(count(page.body, "data-signature=\"invalid\""), 0u);
}

TEST(ChannelWebTest, APostAlteredInTheDatabaseIsShownAsUnverified) {
  Fixture f;
  f.create("free_press");
  f.append(channel::EntryKind::post, "genuine words");
  f.append(channel::EntryKind::post, "we never said this");
  // The store has no method to overwrite an entry (nothing should); the e2e test edits the
  // database file itself. Here the reply is built from rows as a tampered database returns them.
  const web::WebRoute route = web::parse_web_target("/s/free_press");
  WebData data;
  f.h.with_store([&](store::Store& store) { data = load_web_data(store, route, 20).value(); });
  ASSERT_EQ(data.posts.size(), 2u);
  std::string bytes(reinterpret_cast<const char*>(data.posts[1].entry.data()), data.posts[1].entry.size());
  bytes.replace(bytes.find("never"), 5, "truly");
  data.posts[1].entry = to_bytes(as_bytes(bytes));
  WebReply page = build_web_reply(data, route, "https://news.example");
  EXPECT_EQ(count(page.body, "data-signature=\"verified\""), 1u);
  EXPECT_EQ(count(page.body, "data-signature=\"invalid\""), 1u);
  EXPECT_NE(page.body.find("Signature invalid"), std::string::npos);
  EXPECT_NE(page.body.find("signature does not match the post"), std::string::npos);
}

TEST(ChannelWebTest, OnePostTheFeedAndMissingThings) {
  Fixture f;
  f.create("free_press");
  const auto seq = f.append(channel::EntryKind::post, "<script>alert(1)</script>");
  WebReply post = f.get("/s/free_press/" + std::to_string(seq));
  ASSERT_EQ(post.status, 200);
  EXPECT_EQ(post.body.find("<script>"), std::string::npos);
  EXPECT_NE(post.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(f.get("/s/free_press/99").status, 404);
  EXPECT_EQ(f.get("/s/free_press/1").status, 404) << "the CREATE entry is not a post";

  WebReply feed = f.get("/s/free_press/feed.atom");
  ASSERT_EQ(feed.status, 200);
  EXPECT_NE(feed.content_type.find("atom+xml"), std::string::npos);
  EXPECT_NE(feed.body.find("https://news.example/s/free_press/" + std::to_string(seq)), std::string::npos);

  WebReply missing = f.get("/s/nobody_here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Channel not found"), std::string::npos);
  EXPECT_EQ(f.get("/s/support").status, 404) << "a reserved handle is never a channel";
}

TEST(ChannelWebTest, PrivateChannelsAreNeverShown) {
  Fixture f;
  f.create("inner_circle", /*is_private=*/true);
  f.append(channel::EntryKind::post, "members only");
  const WebReply missing = Fixture().get("/s/inner_circle");
  for (const std::string target : {"/s/inner_circle", "/s/inner_circle/2", "/s/inner_circle/feed.atom"}) {
    WebReply reply = f.get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body, missing.body) << target << ": indistinguishable from a missing channel";
    EXPECT_EQ(reply.body.find("members only"), std::string::npos);
  }
}

TEST(ChannelWebTest, BaseUrlComesOnlyFromAPlausibleHost) {
  EXPECT_EQ(web_base_url("news.example:8443", "https://127.0.0.1"), "https://news.example:8443");
  EXPECT_EQ(web_base_url("[::1]:8443", "https://127.0.0.1"), "https://[::1]:8443");
  EXPECT_EQ(web_base_url("evil\"><x", "https://127.0.0.1"), "https://127.0.0.1");
  EXPECT_EQ(web_base_url("", "https://127.0.0.1"), "https://127.0.0.1");
}

}  // namespace
}  // namespace bulwark::server
