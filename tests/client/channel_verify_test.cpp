// The client's verification of channel answers (client/channel_verify.h), fed crafted
// ChannelInfo and ChannelRead answers: genuine entries verify; a wrong signature, an admin the
// channel key never delegated or already removed, an admin change the server hides, a gap, a
// renumbered entry, an erasure without a genuine removal, another channel's key: all flagged.
#include "client/channel_verify.h"

#include <gtest/gtest.h>

#include "moderation/signed_action.h"

#include "support/seeded_rng.h"

namespace bulwark::testing {
namespace {

using channel::Entry;
using channel::EntryKind;
using client::ChannelItem;
using client::VerifiedChannel;

constexpr std::uint64_t base_time = 1'800'000'000'000;

Bytes identity_of(const crypto::X25519KeyPair& pair) {
  Bytes out(channel::admin_key_bytes);
  out[0] = std::byte{0x05};
  const ByteView key = pair.public_key.bytes();
  std::copy(key.begin(), key.end(), out.begin() + 1);
  return out;
}

std::string text_of(const Bytes& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

// A channel with its key, two would-be admins' identity keys, and builders for its entries.
struct Channel {
  SeededRng rng{11};
  crypto::Ed25519KeyPair key = crypto::ed25519_keypair(rng);
  crypto::X25519KeyPair alice = crypto::x25519_keypair(rng);
  crypto::X25519KeyPair mallory = crypto::x25519_keypair(rng);
  channel::ChannelId id = channel::channel_id_for_key(key.public_key.bytes());
  Bytes create = by_owner(make_create());
  std::vector<Bytes> admin_entries;

  Entry make_create() const {
    Entry entry;
    entry.kind = EntryKind::create;
    entry.seq = 1;
    entry.time_ms = base_time;
    entry.channel = id;
    entry.profile = {"free_press", "Free Press", "", false, to_bytes(key.public_key.bytes())};
    return entry;
  }
  Entry make(EntryKind kind, std::uint64_t seq) const {
    Entry entry;
    entry.kind = kind;
    entry.seq = seq;
    entry.time_ms = base_time + seq;
    entry.channel = id;
    return entry;
  }
  Entry post(std::uint64_t seq, std::string text) const {
    Entry entry = make(EntryKind::post, seq);
    entry.text = std::move(text);
    return entry;
  }
  Entry admin(EntryKind kind, std::uint64_t seq, const crypto::X25519KeyPair& who) const {
    Entry entry = make(kind, seq);
    entry.admin_key = identity_of(who);
    return entry;
  }
  Bytes by_owner(Entry entry) const {
    EXPECT_TRUE(channel::sign_with_channel_key(entry, key.secret_key));
    return channel::encode_entry(entry).value();
  }
  Bytes by_admin(Entry entry, const crypto::X25519KeyPair& who) {
    EXPECT_TRUE(channel::sign_with_admin_key(entry, who.secret_key, rng));
    return channel::encode_entry(entry).value();
  }
  // An admin entry the channel key signed, listed in ChannelInfo.
  Bytes delegated(EntryKind kind, std::uint64_t seq, const crypto::X25519KeyPair& who) {
    Bytes bytes = by_owner(admin(kind, seq, who));
    admin_entries.push_back(bytes);
    return bytes;
  }
  api::ChannelInfoResult info(std::uint64_t last_seq) const {
    api::ChannelInfoResult out;
    out.set_channel_id(text_of(Bytes(id.begin(), id.end())));
    out.set_handle("free_press");
    out.set_create_entry(text_of(create));
    for (const Bytes& entry : admin_entries) out.add_admin_entries(text_of(entry));
    out.set_last_seq(last_seq);
    out.set_subscribers(3);
    return out;
  }
  VerifiedChannel verified(std::uint64_t last_seq) const {
    auto checked = client::verify_channel_info(info(last_seq), "free_press");
    EXPECT_TRUE(checked) << checked.error().describe();
    return std::move(*checked);
  }
};

api::ChannelEntry served(std::uint64_t seq, const Bytes& entry, std::uint64_t deleted_by = 0) {
  api::ChannelEntry out;
  out.set_seq(seq);
  out.set_entry(text_of(entry));
  out.set_deleted_by(deleted_by);
  out.set_server_time_ms(base_time + 1000 + seq);
  return out;
}

std::vector<ChannelItem> check(const VerifiedChannel& channel, const std::vector<api::ChannelEntry>& page,
                               std::uint64_t after, bool resynced = false,
                               const std::vector<api::ChannelEntry>& removers = {}) {
  return client::verify_entries(channel, page, removers, after, resynced).items;
}

// The byte offset of `needle` inside `bytes`.
std::size_t find(const Bytes& bytes, std::string_view needle) {
  const std::string haystack = text_of(bytes);
  const std::size_t at = haystack.find(needle);
  EXPECT_NE(at, std::string::npos);
  return at;
}

TEST(ChannelVerifyTest, EntriesOfTheOwnerAndOfADelegatedAdminVerify) {
  Channel c;
  const Bytes add = c.delegated(EntryKind::admin_add, 2, c.alice);
  const Bytes owner_post = c.by_owner(c.post(3, "from the owner"));
  const Bytes admin_post = c.by_admin(c.post(4, "from alice"), c.alice);
  Entry edit = c.post(5, "alice, edited");
  edit.kind = EntryKind::edit;
  edit.target = 4;
  const Bytes admin_edit = c.by_admin(edit, c.alice);
  auto items = check(c.verified(5),
                     {served(1, c.create), served(2, add), served(3, owner_post), served(4, admin_post),
                      served(5, admin_edit)},
                     0);
  ASSERT_EQ(items.size(), 5u);
  for (const ChannelItem& item : items) EXPECT_TRUE(item.verified) << item.seq << ": " << item.problem;
  EXPECT_EQ(items[0].kind, "create");
  EXPECT_EQ(items[0].text, "Free Press");
  EXPECT_EQ(items[1].kind, "admin_add");
  EXPECT_EQ(items[1].admin_key, identity_of(c.alice));
  EXPECT_EQ(items[2].text, "from the owner");
  EXPECT_EQ(items[2].signed_by, "owner");
  EXPECT_EQ(items[3].text, "from alice");
  EXPECT_EQ(items[3].signed_by, "admin");
  EXPECT_EQ(items[3].signer_key, identity_of(c.alice));
  EXPECT_EQ(items[4].kind, "edit");
  EXPECT_EQ(items[4].target, 4u);
  EXPECT_EQ(items[4].text, "alice, edited");
  EXPECT_EQ(items[4].server_time_ms, static_cast<std::int64_t>(base_time + 1005));
}

TEST(ChannelVerifyTest, PostWithAFlippedByteInItsTextIsFlaggedAndItsTextWithheld) {
  Channel c;
  Bytes post = c.by_owner(c.post(2, "the minister resigned"));
  post[find(post, "resigned")] = std::byte{'R'};
  auto items = check(c.verified(2), {served(2, post)}, 1);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
  EXPECT_NE(items[0].problem.find("signature"), std::string::npos) << items[0].problem;
  EXPECT_TRUE(items[0].text.empty());
  EXPECT_EQ(items[0].claimed_text, "the minister Resigned");
}

TEST(ChannelVerifyTest, PostByAnAdminTheChannelKeyNeverDelegatedIsFlagged) {
  Channel c;
  c.delegated(EntryKind::admin_add, 2, c.alice);
  const Bytes forged = c.by_admin(c.post(3, "mallory speaks for the channel"), c.mallory);
  auto items = check(c.verified(3), {served(3, forged)}, 2);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
  EXPECT_NE(items[0].problem.find("not an admin"), std::string::npos) << items[0].problem;
  EXPECT_TRUE(items[0].text.empty());
}

TEST(ChannelVerifyTest, RemovedAdminsLaterPostsAreFlaggedAndEarlierOnesStand) {
  Channel c;
  const Bytes add = c.delegated(EntryKind::admin_add, 2, c.alice);
  const Bytes before = c.by_admin(c.post(3, "while admin"), c.alice);
  const Bytes removal = c.delegated(EntryKind::admin_remove, 4, c.alice);
  const Bytes after = c.by_admin(c.post(5, "after removal"), c.alice);
  auto items = check(c.verified(5),
                     {served(2, add), served(3, before), served(4, removal), served(5, after)}, 1);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_TRUE(items[1].verified) << items[1].problem;
  EXPECT_TRUE(items[2].verified) << items[2].problem;
  EXPECT_FALSE(items[3].verified);
  EXPECT_NE(items[3].problem.find("not an admin"), std::string::npos) << items[3].problem;
}

TEST(ChannelVerifyTest, AdminRemovalTheServerLeavesOutOfItsListIsFlaggedAndStillCounts) {
  Channel c;
  c.delegated(EntryKind::admin_add, 2, c.alice);
  const Bytes hidden = c.by_owner(c.admin(EntryKind::admin_remove, 3, c.alice));  // not in info
  const Bytes after = c.by_admin(c.post(4, "after removal"), c.alice);
  const VerifiedChannel channel = c.verified(4);
  EXPECT_EQ(channel.authority.current_admins().size(), 1u);  // the server's story
  auto items = check(channel, {served(3, hidden), served(4, after)}, 2);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].verified);
  EXPECT_NE(items[0].problem.find("leaves it out"), std::string::npos) << items[0].problem;
  EXPECT_FALSE(items[1].verified);
  EXPECT_NE(items[1].problem.find("not an admin"), std::string::npos) << items[1].problem;
}

TEST(ChannelVerifyTest, AdminEntryNotSignedByTheChannelKeyIsIgnoredAndReported) {
  Channel c;
  // Mallory "delegates" herself with a key of her own under the channel's id.
  SeededRng other_rng(99);
  const auto other = crypto::ed25519_keypair(other_rng);
  Entry self_made = c.admin(EntryKind::admin_add, 2, c.mallory);
  ASSERT_TRUE(channel::sign_with_channel_key(self_made, other.secret_key));
  c.admin_entries.push_back(channel::encode_entry(self_made).value());
  const VerifiedChannel channel = c.verified(3);
  ASSERT_EQ(channel.problems.size(), 1u);
  EXPECT_NE(channel.problems[0].find("not signed by the channel key"), std::string::npos)
      << channel.problems[0];
  EXPECT_TRUE(channel.authority.current_admins().empty());
  auto items = check(channel, {served(3, c.by_admin(c.post(3, "hi"), c.mallory))}, 2);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
}

TEST(ChannelVerifyTest, AnswerForAnotherHandleOrWithATamperedCreateEntryIsRefused) {
  Channel c;
  auto other = client::verify_channel_info(c.info(1), "other_news");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::auth_failed);
  c.create[find(c.create, "Free Press")] = std::byte{'f'};
  auto tampered = client::verify_channel_info(c.info(1), "free_press");
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, Errc::auth_failed);
  EXPECT_NE(tampered.error().context.find("not signed by its channel key"), std::string::npos)
      << tampered.error().context;
}

TEST(ChannelVerifyTest, AnswerByIdMustBeTheChannelAskedFor) {
  Channel c;
  Bytes id(c.id.begin(), c.id.end());
  EXPECT_TRUE(client::verify_channel_info(c.info(1), "", id));
  id[0] ^= std::byte{1};
  auto wrong = client::verify_channel_info(c.info(1), "", id);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::auth_failed);
}

TEST(ChannelVerifyTest, ChangedChannelKeyUnderAPinnedHandleIsRefusedLoudly) {
  Channel genuine;
  client::PinnedChannel pin = client::pin_for(genuine.verified(1), 1000);
  EXPECT_TRUE(client::check_pinned(genuine.verified(1), pin));
  Channel impostor;
  impostor.rng = SeededRng(12);
  impostor.key = crypto::ed25519_keypair(impostor.rng);
  impostor.id = channel::channel_id_for_key(impostor.key.public_key.bytes());
  impostor.create = impostor.by_owner(impostor.make_create());
  auto refused = client::check_pinned(impostor.verified(1), pin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::untrusted_identity);
  EXPECT_NE(refused.error().context.find("CHANNEL KEY CHANGED"), std::string::npos);
  EXPECT_NE(refused.error().context.find("@free_press"), std::string::npos);
}

TEST(ChannelVerifyTest, EntriesTheServerLeftOutAreFlaggedAsAGap) {
  Channel c;
  const Bytes two = c.by_owner(c.post(2, "two"));
  const Bytes five = c.by_owner(c.post(5, "five"));
  auto checked = client::verify_entries(c.verified(5), std::vector{served(2, two), served(5, five)},
                                        {}, 1, false);
  ASSERT_EQ(checked.items.size(), 2u);
  EXPECT_TRUE(checked.items[0].verified);
  EXPECT_FALSE(checked.items[1].verified);
  EXPECT_NE(checked.items[1].problem.find("left out #3-#4"), std::string::npos) << checked.items[1].problem;
  EXPECT_EQ(checked.problems.size(), 1u);
}

TEST(ChannelVerifyTest, ResyncedAnswerMayStartFarAfterTheCursor) {
  Channel c;
  const Bytes fifty = c.by_owner(c.post(50, "fifty"));
  auto items = check(c.verified(50), {served(50, fifty)}, 1, /*resynced=*/true);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].verified) << items[0].problem;
}

TEST(ChannelVerifyTest, EntryTheServerRenumberedIsFlagged) {
  Channel c;
  const Bytes post = c.by_owner(c.post(2, "second"));
  auto items = check(c.verified(3), {served(3, post)}, 2);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
  EXPECT_NE(items[0].problem.find("signed as #2"), std::string::npos) << items[0].problem;
}

TEST(ChannelVerifyTest, EntryOfAnotherChannelIsFlagged) {
  Channel c;
  Channel other;
  other.rng = SeededRng(13);
  other.key = crypto::ed25519_keypair(other.rng);
  other.id = channel::channel_id_for_key(other.key.public_key.bytes());
  auto items = check(c.verified(2), {served(2, other.by_owner(other.post(2, "elsewhere")))}, 1);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
}

TEST(ChannelVerifyTest, RemovedPostIsVerifiedByTheRemovalThatNamesIt) {
  Channel c;
  Entry removal = c.make(EntryKind::remove, 3);
  removal.target = 2;
  const Bytes remove = c.by_owner(removal);
  const std::vector page{served(2, {}, /*deleted_by=*/3), served(3, remove)};
  EXPECT_TRUE(client::missing_removers(page).empty());
  auto items = check(c.verified(3), page, 1);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].verified) << items[0].problem;
  EXPECT_EQ(items[0].kind, "removed");
  EXPECT_EQ(items[0].deleted_by, 3u);
  EXPECT_TRUE(items[1].verified) << items[1].problem;
  EXPECT_EQ(items[1].kind, "remove");
  // The removal outside the page: fetched on its own and passed in.
  const std::vector alone{served(2, {}, 3)};
  ASSERT_EQ(client::missing_removers(alone), std::vector<std::uint64_t>{3});
  auto fetched = check(c.verified(3), alone, 1, false, {served(3, remove)});
  ASSERT_EQ(fetched.size(), 1u);
  EXPECT_TRUE(fetched[0].verified) << fetched[0].problem;
}

TEST(ChannelVerifyTest, ErasureWithoutAGenuineRemovalIsFlagged) {
  Channel c;
  const Bytes post = c.by_owner(c.post(3, "not a removal"));
  Entry other_target = c.make(EntryKind::remove, 4);
  other_target.target = 3;
  const Bytes remove_three = c.by_owner(other_target);
  const std::vector<std::vector<api::ChannelEntry>> pages{
      {served(2, {})},                          // empty, no deleted_by
      {served(2, {}, 3), served(3, post)},      // "removed" by a post
      {served(2, {}, 4)},                       // the removal is not shown
  };
  for (const auto& page : pages) {
    auto items = check(c.verified(4), page, 1);
    ASSERT_FALSE(items.empty());
    EXPECT_FALSE(items[0].verified) << page.size();
    EXPECT_EQ(items[0].kind, "removed");
  }
  // A removal of a later entry does not explain this one.
  auto items = check(c.verified(4), {served(2, {}, 4)}, 1, false, {served(4, remove_three)});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
}

// A removal erases a post and its edits, never an admin entry: a server that erases Alice's
// removal as "an edit of the removed post" would let her keep posting.
TEST(ChannelVerifyTest, AnAdminEntryErasedWithAPostsRemovalIsFlagged) {
  Channel c;
  c.delegated(EntryKind::admin_add, 2, c.alice);
  c.delegated(EntryKind::admin_remove, 4, c.alice);
  Entry removal = c.make(EntryKind::remove, 5);
  removal.target = 3;
  const Bytes remove = c.by_owner(removal);
  auto items = check(c.verified(5), {served(3, {}, 5), served(4, {}, 5), served(5, remove)}, 2);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].verified) << items[0].problem;
  EXPECT_FALSE(items[1].verified);
  EXPECT_NE(items[1].problem.find("erased an admin entry"), std::string::npos) << items[1].problem;
  EXPECT_TRUE(items[2].verified) << items[2].problem;
}

TEST(ChannelVerifyTest, PushedEntryIsCheckedLikeAnyOther) {
  Channel c;
  c.delegated(EntryKind::admin_add, 2, c.alice);
  const VerifiedChannel channel = c.verified(3);
  EXPECT_TRUE(client::verify_pushed_entry(channel, served(3, c.by_admin(c.post(3, "ok"), c.alice))).verified);
  EXPECT_FALSE(
      client::verify_pushed_entry(channel, served(3, c.by_admin(c.post(3, "no"), c.mallory))).verified);
  EXPECT_FALSE(client::verify_pushed_entry(channel, served(3, {})).verified);
}

TEST(ChannelVerifyTest, PostHiddenByModerationIsShownAsSuchAndNotFlagged) {
  Channel c;
  api::ChannelEntry held = served(2, {});
  held.mutable_moderation()->set_case_id(7);
  held.mutable_moderation()->set_reason("incites violence");
  auto items = check(c.verified(3), {held, served(3, c.by_owner(c.post(3, "still here")))}, 1);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, "moderated");
  EXPECT_TRUE(items[0].verified) << items[0].problem;
  EXPECT_EQ(items[0].moderation_case, 7u);
  EXPECT_EQ(items[0].moderation_reason, "incites violence");
  EXPECT_TRUE(items[0].text.empty());
  EXPECT_TRUE(items[1].verified);
  // Pushed the same way; a hold without a case is flagged.
  EXPECT_EQ(client::verify_pushed_entry(c.verified(2), held).kind, "moderated");
  api::ChannelEntry no_case = served(2, {});
  no_case.mutable_moderation()->set_reason("?");
  EXPECT_FALSE(check(c.verified(2), {no_case}, 1)[0].verified);
}

TEST(ChannelVerifyTest, AHoldOnAnAdminEntryIsFlaggedBecauseModerationRemovesPostsOnly) {
  Channel c;
  c.delegated(EntryKind::admin_add, 2, c.alice);
  const Bytes removal = c.delegated(EntryKind::admin_remove, 3, c.alice);
  (void)removal;
  // A server hiding Alice's removal as "moderated" would let her keep posting unflagged.
  api::ChannelEntry held = served(3, {});
  held.mutable_moderation()->set_case_id(9);
  held.mutable_moderation()->set_reason("spam");
  auto items = check(c.verified(3), {held}, 2);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].verified);
  EXPECT_NE(items[0].problem.find("admin entry"), std::string::npos) << items[0].problem;
  EXPECT_FALSE(client::verify_pushed_entry(c.verified(3), held).verified);
}

// A moderator with a key pair, and the hold their signed remove-post of `seq` makes.
struct ModeratorOf {
  std::string name;
  crypto::Ed25519KeyPair key;

  client::PinnedModerator pin() const { return {name, to_bytes(key.public_key.bytes()), base_time}; }
  api::ChannelEntry hold(const channel::ChannelId& channel_id, std::uint64_t entry_seq,
                         std::uint64_t post_seq,
                         moderation::Action action = moderation::Action::remove_post,
                         std::uint64_t case_id = 7) const {
    moderation::ActionRecord record;
    record.case_id = case_id;
    record.action = action;
    record.target = moderation::TargetKind::post;
    std::copy(channel_id.begin(), channel_id.end(), record.channel.begin());
    record.seq = post_seq;
    record.time_ms = base_time;
    record.moderator = name;
    std::ranges::copy(key.public_key.bytes(), record.moderator_key.begin());
    record.reason = "incites violence";
    const Bytes bytes = moderation::encode_action(record).value();
    const crypto::Ed25519Signature signature = moderation::sign_action(key.secret_key, bytes);
    api::ChannelEntry out = served(entry_seq, {});
    out.mutable_moderation()->set_case_id(case_id);
    out.mutable_moderation()->set_reason(record.reason);
    out.mutable_moderation()->set_record(text_of(bytes));
    out.mutable_moderation()->set_signature(text_of(Bytes(signature.begin(), signature.end())));
    return out;
  }
};

TEST(ChannelVerifyTest, AModeratorsRemovalVerifiesUnderTheKeyPinnedForThem) {
  Channel c;
  const ModeratorOf alice{"alice", crypto::ed25519_keypair(c.rng)};
  VerifiedChannel channel = c.verified(4);
  channel.moderators = {alice.pin()};
  // The post itself, and an edit of it held with the same signed removal.
  auto items = check(channel, {alice.hold(c.id, 2, 2), served(3, c.by_owner(c.post(3, "ok"))),
                               alice.hold(c.id, 4, 2)}, 1);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].verified) << items[0].problem;
  EXPECT_EQ(items[0].moderated_by, "alice");
  EXPECT_EQ(items[0].moderated_post, 2u);
  EXPECT_TRUE(items[2].verified) << items[2].problem;
  EXPECT_EQ(items[2].moderated_post, 2u) << "an edit of the removed post";
  EXPECT_EQ(client::verify_pushed_entry(channel, alice.hold(c.id, 2, 2)).moderated_by, "alice");
  // A policy rule's hold carries no signature: the server's word, shown as such.
  api::ChannelEntry rule_hold = served(2, {});
  rule_hold.mutable_moderation()->set_case_id(8);
  rule_hold.mutable_moderation()->set_reason("matched a policy rule");
  const ChannelItem by_rule = check(channel, {rule_hold}, 1)[0];
  EXPECT_TRUE(by_rule.verified) << by_rule.problem;
  EXPECT_TRUE(by_rule.moderated_by.empty());
}

TEST(ChannelVerifyTest, AHoldTheServerSignedWithAnotherKeyOrMovedIsFlagged) {
  Channel c;
  const ModeratorOf alice{"alice", crypto::ed25519_keypair(c.rng)};
  const ModeratorOf impostor{"alice", crypto::ed25519_keypair(c.rng)};
  const ModeratorOf stranger{"eve", crypto::ed25519_keypair(c.rng)};
  VerifiedChannel channel = c.verified(5);
  channel.moderators = {alice.pin()};
  auto problem_of = [&](const api::ChannelEntry& held) {
    const ChannelItem item = check(channel, {held}, held.seq() - 1)[0];
    EXPECT_FALSE(item.verified) << "accepted a bad hold";
    return item.problem;
  };
  EXPECT_NE(problem_of(impostor.hold(c.id, 2, 2)).find("another key than the one this device pinned"),
            std::string::npos);
  EXPECT_NE(problem_of(stranger.hold(c.id, 2, 2)).find("does not publish"), std::string::npos);
  // Alice's genuine removal of post 3, shown on post 2: a post cannot edit a later one.
  EXPECT_NE(problem_of(alice.hold(c.id, 2, 3)).find("signed for post 3"), std::string::npos);
  // Signed for another action, another case, or with a flipped signature byte.
  EXPECT_NE(problem_of(alice.hold(c.id, 2, 2, moderation::Action::restrict_channel)).find("another action"),
            std::string::npos);
  api::ChannelEntry other_case = alice.hold(c.id, 2, 2);
  other_case.mutable_moderation()->set_case_id(99);
  EXPECT_NE(problem_of(other_case).find("another case"), std::string::npos);
  api::ChannelEntry forged = alice.hold(c.id, 2, 2);
  std::string signature = forged.moderation().signature();
  signature[5] = static_cast<char>(signature[5] ^ 1);
  forged.mutable_moderation()->set_signature(signature);
  EXPECT_NE(problem_of(forged).find("does not verify"), std::string::npos);
  // Another channel's removal.
  channel::ChannelId other = c.id;
  other[0] ^= std::byte{1};
  EXPECT_NE(problem_of(alice.hold(other, 2, 2)).find("another channel"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::testing
