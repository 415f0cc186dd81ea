#include "channel/entry.h"

#include <gtest/gtest.h>

#include "channel/admin_set.h"
#include "channel/text.h"
#include "support/seeded_rng.h"

namespace bulwark::channel {
namespace {

struct Keys {
  testing::SeededRng rng{7};
  crypto::Ed25519KeyPair channel = crypto::ed25519_keypair(rng);
  crypto::X25519KeyPair admin = crypto::x25519_keypair(rng);
  Bytes admin_identity() const {
    Bytes out{std::byte{0x05}};
    const ByteView key = admin.public_key.bytes();
    out.insert(out.end(), key.begin(), key.end());
    return out;
  }
};

Entry make_create(const Keys& keys) {
  Entry entry;
  entry.profile.channel_key = to_bytes(keys.channel.public_key.bytes());
  entry.channel = channel_id_for_key(entry.profile.channel_key);
  entry.seq = 1;
  entry.time_ms = 1'800'000'000'000;
  entry.kind = EntryKind::create;
  entry.profile.handle = "free_press";
  entry.profile.title = "Free Press";
  entry.profile.description = "What they asked us for, and what we said.";
  EXPECT_TRUE(sign_with_channel_key(entry, keys.channel.secret_key));
  return entry;
}

Entry make_post(const Keys& keys, std::uint64_t seq, std::string text) {
  Entry entry;
  entry.channel = channel_id_for_key(keys.channel.public_key.bytes());
  entry.seq = seq;
  entry.time_ms = 1'800'000'000'000 + seq;
  entry.kind = EntryKind::post;
  entry.text = std::move(text);
  EXPECT_TRUE(sign_with_channel_key(entry, keys.channel.secret_key));
  return entry;
}

TEST(ChannelEntry, RoundTripsEveryKind) {
  Keys keys;
  std::vector<Entry> entries{make_create(keys), make_post(keys, 2, "hello\nworld")};
  Entry edit = make_post(keys, 3, "hello again");
  edit.kind = EntryKind::edit;
  edit.target = 2;
  ASSERT_TRUE(sign_with_channel_key(edit, keys.channel.secret_key));
  entries.push_back(edit);
  Entry removal = entries[0];
  removal.kind = EntryKind::remove;
  removal.seq = 4;
  removal.target = 2;
  ASSERT_TRUE(sign_with_channel_key(removal, keys.channel.secret_key));
  entries.push_back(removal);
  Entry admin = removal;
  admin.kind = EntryKind::admin_add;
  admin.seq = 5;
  admin.admin_key = keys.admin_identity();
  ASSERT_TRUE(sign_with_channel_key(admin, keys.channel.secret_key));
  entries.push_back(admin);

  for (const Entry& entry : entries) {
    Bytes encoded = encode_entry(entry).value();
    Entry decoded = decode_entry(encoded).value();
    EXPECT_EQ(encode_entry(decoded).value(), encoded) << kind_name(entry.kind);
    EXPECT_TRUE(verify_signature(decoded)) << kind_name(entry.kind);
  }
}

TEST(ChannelEntry, AnyChangedByteFailsDecodingOrTheSignature) {
  Keys keys;
  const Bytes encoded = encode_entry(make_post(keys, 2, "the court asked; we said no")).value();
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes tampered = encoded;
    tampered[i] ^= std::byte{0x01};
    auto decoded = decode_entry(tampered);
    if (!decoded) continue;
    EXPECT_FALSE(verify_signature(*decoded)) << "byte " << i;
  }
}

TEST(ChannelEntry, DecodingRefusesTruncationAndTrailingBytes) {
  Keys keys;
  const Bytes encoded = encode_entry(make_post(keys, 2, "text")).value();
  for (std::size_t size = 0; size < encoded.size(); ++size)
    EXPECT_FALSE(decode_entry(ByteView(encoded).first(size))) << size;
  Bytes longer = encoded;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(decode_entry(longer));
}

TEST(ChannelEntry, RefusesOversizePostsAndBadHandles) {
  Keys keys;
  Entry post = make_post(keys, 2, "x");
  post.text.assign(max_post_chars + 1, 'x');
  EXPECT_EQ(sign_with_channel_key(post, keys.channel.secret_key).error().code,
            Errc::invalid_argument);
  post.text.assign(max_post_chars, 'x');
  EXPECT_TRUE(sign_with_channel_key(post, keys.channel.secret_key));
  EXPECT_TRUE(encode_entry(post));

  Entry create = make_create(keys);
  create.profile.handle = "support";
  EXPECT_FALSE(sign_with_channel_key(create, keys.channel.secret_key));
}

TEST(ChannelEntry, ChannelIdMustMatchTheKey) {
  Keys keys;
  Entry create = make_create(keys);
  create.channel[0] ^= std::byte{1};
  EXPECT_FALSE(sign_with_channel_key(create, keys.channel.secret_key));
}

// Computed independently with Python's `cryptography` (Ed25519) from the byte format documented
// in channel/entry.h: channel key seed 0x24 * 32, seq 2, time 1.8e12 ms, one post.
TEST(ChannelEntry, KnownAnswerFromAnIndependentImplementation) {
  const Bytes expected =
      from_hex(
          "01923cc39a9d0712aa5d2c5ab22af7a20f0000000000000002000001a3185c5000020000002f776861742074"
          "686520636f7572742061736b656420666f722c20616e64206f757220616e7377657220e28094206e6f205893"
          "6604abda112bc94933569c82f8d0cc0ddf92a3f8329f2f448f7f484a594c5ba9551bb0e109440fdff98e49f1"
          "2f1f60bcb6714d99e60fe39a01f9aff33aa666e2e804dadf7a6929b0723194f4ac2265ee64c95e6fa72fa628"
          "31dd063b1b0e")
          .value();
  const auto key = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x24})).value();
  const crypto::Ed25519PublicKey public_key = key.public_key();
  Entry entry;
  entry.channel = channel_id_for_key(public_key.bytes());
  entry.seq = 2;
  entry.time_ms = 1'800'000'000'000;
  entry.kind = EntryKind::post;
  entry.text = "what the court asked for, and our answer \xe2\x80\x94 no";
  ASSERT_TRUE(sign_with_channel_key(entry, key));
  EXPECT_EQ(to_hex(encode_entry(entry).value()), to_hex(expected));
  EXPECT_TRUE(verify_signature(decode_entry(expected).value()));
}

TEST(ChannelAuthority, ChannelKeyAndDelegatedAdminsOnly) {
  Keys keys;
  Authority authority = Authority::from_create(make_create(keys)).value();
  EXPECT_TRUE(authority.verify(make_post(keys, 2, "by the owner")));

  Entry by_admin = make_post(keys, 3, "by an admin");
  ASSERT_TRUE(sign_with_admin_key(by_admin, keys.admin.secret_key, keys.rng));
  EXPECT_EQ(authority.verify(by_admin).error().code, Errc::auth_failed);

  Entry add = make_post(keys, 3, "placeholder");
  add.kind = EntryKind::admin_add;
  add.text.clear();
  add.admin_key = keys.admin_identity();
  ASSERT_TRUE(sign_with_channel_key(add, keys.channel.secret_key));
  ASSERT_TRUE(authority.apply_admin_entry(add));
  EXPECT_EQ(authority.current_admins().size(), 1u);

  by_admin.seq = 4;
  ASSERT_TRUE(sign_with_admin_key(by_admin, keys.admin.secret_key, keys.rng));
  auto verified = authority.verify(by_admin);
  EXPECT_TRUE(verified) << verified.error().describe();

  Entry remove = add;
  remove.kind = EntryKind::admin_remove;
  remove.seq = 6;
  ASSERT_TRUE(sign_with_channel_key(remove, keys.channel.secret_key));
  ASSERT_TRUE(authority.apply_admin_entry(remove));
  EXPECT_TRUE(authority.verify(by_admin)) << "posts before the removal stay valid";
  by_admin.seq = 7;
  ASSERT_TRUE(sign_with_admin_key(by_admin, keys.admin.secret_key, keys.rng));
  EXPECT_EQ(authority.verify(by_admin).error().code, Errc::auth_failed);
  EXPECT_TRUE(authority.current_admins().empty());
}

TEST(ChannelAuthority, AdminsCannotNameAdminsAndStrangersCannotSign) {
  Keys keys;
  Authority authority = Authority::from_create(make_create(keys)).value();
  Entry add = make_post(keys, 2, "placeholder");
  add.kind = EntryKind::admin_add;
  add.admin_key = keys.admin_identity();
  EXPECT_FALSE(sign_with_admin_key(add, keys.admin.secret_key, keys.rng));

  testing::SeededRng other_rng(99);
  auto stranger = crypto::ed25519_keypair(other_rng);
  Entry forged = make_post(keys, 2, "forged");
  ASSERT_TRUE(sign_with_channel_key(forged, stranger.secret_key));
  EXPECT_EQ(authority.verify(forged).error().code, Errc::auth_failed);

  Entry altered = make_post(keys, 2, "genuine");
  altered.text = "altered";
  EXPECT_EQ(authority.verify(altered).error().code, Errc::auth_failed);
}

TEST(ChannelAuthority, CreateMustBeSelfSigned) {
  Keys keys;
  Entry create = make_create(keys);
  testing::SeededRng other_rng(5);
  auto stranger = crypto::ed25519_keypair(other_rng);
  ASSERT_TRUE(sign_with_channel_key(create, stranger.secret_key));
  EXPECT_EQ(Authority::from_create(create).error().code, Errc::auth_failed);
}

}  // namespace
}  // namespace bulwark::channel
