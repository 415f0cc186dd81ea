// Signed moderator actions and the log's hash chain (moderation/signed_action.h).
#include "moderation/signed_action.h"

#include <gtest/gtest.h>

#include "support/seeded_rng.h"

namespace bulwark::moderation {
using bulwark::testing::SeededRng;
namespace {

ActionRecord sample(const crypto::Ed25519PublicKey& key) {
  ActionRecord record;
  record.case_id = 42;
  record.action = Action::remove_post;
  record.target = TargetKind::post;
  record.channel.fill(std::byte{0x11});
  record.seq = 7;
  record.account.fill(std::byte{0x22});
  record.time_ms = 1'800'000'000'000;
  record.moderator = "alice";
  for (std::size_t i = 0; i < 32; ++i) record.moderator_key[i] = key.bytes()[i];
  record.reason = "incites violence (ToS 3.1)";
  record.previous.fill(std::byte{0x33});
  return record;
}

TEST(ModerationActionRecordTest, EncodesDecodesSignsAndVerifies) {
  SeededRng rng(1);
  auto keys = crypto::ed25519_keypair(rng);
  const ActionRecord record = sample(keys.public_key);
  auto bytes = encode_action(record);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  auto decoded = decode_action(*bytes);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, record);
  const auto signature = sign_action(keys.secret_key, *bytes);
  EXPECT_TRUE(verify_action(keys.public_key, *bytes, signature));
  Bytes changed = *bytes;
  changed[5] ^= std::byte{1};
  EXPECT_FALSE(verify_action(keys.public_key, changed, signature));
  auto other = crypto::ed25519_keypair(rng);
  EXPECT_FALSE(verify_action(other.public_key, *bytes, signature));
}

TEST(ModerationActionRecordTest, SignatureIsDomainSeparated) {
  SeededRng rng(2);
  auto keys = crypto::ed25519_keypair(rng);
  auto bytes = encode_action(sample(keys.public_key)).value();
  // A plain signature over the record (as some other protocol might make) does not verify.
  const auto plain = crypto::ed25519_sign(keys.secret_key, bytes);
  EXPECT_FALSE(verify_action(keys.public_key, bytes, plain));
}

TEST(ModerationActionRecordTest, HashChainDependsOnRecordAndSignature) {
  SeededRng rng(3);
  auto keys = crypto::ed25519_keypair(rng);
  ActionRecord first = sample(keys.public_key);
  first.previous = {};
  auto first_bytes = encode_action(first).value();
  auto first_sig = sign_action(keys.secret_key, first_bytes);
  const LogHash head = log_entry_hash(first_bytes, first_sig);
  ActionRecord second = sample(keys.public_key);
  second.previous = head;
  auto second_bytes = encode_action(second).value();
  EXPECT_EQ(decode_action(second_bytes)->previous, head);
  Bytes altered = first_bytes;
  ASSERT_FALSE(altered.empty());
  altered[altered.size() - 1] ^= std::byte{1};
  EXPECT_NE(log_entry_hash(altered, first_sig), head);
}

TEST(ModerationActionRecordTest, OutOfBoundFieldsAreRefused) {
  SeededRng rng(4);
  auto keys = crypto::ed25519_keypair(rng);
  ActionRecord record = sample(keys.public_key);
  record.reason.clear();
  EXPECT_FALSE(encode_action(record));
  record.reason = std::string(max_reason_bytes + 1, 'x');
  EXPECT_FALSE(encode_action(record));
  record.reason = "bell\a";
  EXPECT_FALSE(encode_action(record));
  record.reason = "ok";
  record.moderator = std::string(65, 'm');
  EXPECT_FALSE(encode_action(record));
}

TEST(ModerationActionRecordTest, MalformedBytesAreRefused) {
  SeededRng rng(5);
  auto keys = crypto::ed25519_keypair(rng);
  const Bytes good = encode_action(sample(keys.public_key)).value();
  EXPECT_FALSE(decode_action({}));
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_FALSE(decode_action(truncated));
  Bytes trailing = good;
  trailing.push_back(std::byte{0});
  EXPECT_FALSE(decode_action(trailing));
  Bytes bad_version = good;
  bad_version[0] = std::byte{2};
  EXPECT_FALSE(decode_action(bad_version));
  Bytes bad_action = good;
  bad_action[9] = std::byte{9};
  EXPECT_FALSE(decode_action(bad_action));
  Bytes bad_target = good;
  bad_target[10] = std::byte{0};
  EXPECT_FALSE(decode_action(bad_target));
}

TEST(ModerationFreeTextTest, ChecksLengthAndCharacters) {
  EXPECT_TRUE(check_free_text("", 10, "comment"));
  EXPECT_TRUE(check_free_text("line\nnext\tok \xc3\xa9", 100, "comment"));
  EXPECT_FALSE(check_free_text("12345678901", 10, "comment"));
  EXPECT_FALSE(check_free_text("\xc3", 10, "comment"));
  EXPECT_FALSE(check_free_text("\xed\xa0\x80", 10, "comment"));  // a surrogate
  EXPECT_FALSE(check_free_text("esc\x1b[2J", 20, "comment"));
}

}  // namespace
}  // namespace bulwark::moderation
