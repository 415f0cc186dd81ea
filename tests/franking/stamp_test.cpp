// The server's stamp on a franking tag (franking/stamp.h).
#include "franking/stamp.h"

#include <gtest/gtest.h>
#include <vector>

#include "crypto/ed25519.h"
#include "franking/support/franking_fixtures.h"

namespace bulwark::franking {
using bulwark::testing::SeededRng;
namespace {

using fixtures::account;

FrankingTag fixed_tag() {
  return *to_array<tag_bytes>(
      *from_hex("b1b9007158b614b6da4b88fef041c1c3067ab895c6bb2b836801d1e010b319e7"));
}

// The MAC, computed independently with Python's hmac module over stamp.h's layout.
TEST(FrankingStampTest, MacMatchesAnIndependentImplementation) {
  SeededRng rng(3);
  StampingKeys keys(crypto::ed25519_keypair(rng).secret_key);
  ASSERT_TRUE(keys.add_epoch(7, SecretBytes::copy_of(Bytes(32, std::byte{0x42}))));
  auto stamp = keys.stamp(fixed_tag(), account(0x11), account(0x33), 1'700'000'000'000);
  ASSERT_TRUE(stamp) << stamp.error().describe();
  EXPECT_EQ(stamp->epoch, 7u);
  EXPECT_EQ(to_hex(stamp->mac),
            "da2208df005682a9847e281b2c09c068");
  EXPECT_TRUE(verify_stamp_signature(keys.public_key(), *stamp));
}

TEST(FrankingStampTest, VerifiesOnlyForItsTagSenderRecipientAndTime) {
  SeededRng rng(4);
  StampingKeys keys = fixtures::stamping_keys(rng);
  const FrankingTag tag = fixed_tag();
  const Stamp stamp = *keys.stamp(tag, account(1), account(2), 1000);
  EXPECT_TRUE(keys.verify(stamp, tag, account(1), account(2)));

  EXPECT_EQ(keys.verify(stamp, tag, account(3), account(2)).error().code, Errc::auth_failed)
      << "another sender claimed";
  EXPECT_EQ(keys.verify(stamp, tag, account(1), account(3)).error().code, Errc::auth_failed)
      << "another recipient";
  FrankingTag other_tag = tag;
  other_tag[0] ^= std::byte{1};
  EXPECT_EQ(keys.verify(stamp, other_tag, account(1), account(2)).error().code, Errc::auth_failed);
  Stamp later = stamp;
  later.server_time_ms += 1;
  EXPECT_EQ(keys.verify(later, tag, account(1), account(2)).error().code, Errc::auth_failed);
  // The server proves a stamp by its MAC alone; the signature is the recipient's check.
  Stamp bad_signature = stamp;
  bad_signature.signature[5] ^= std::byte{1};
  EXPECT_TRUE(keys.verify(bad_signature, tag, account(1), account(2)));
  EXPECT_EQ(verify_stamp_signature(keys.public_key(), bad_signature).error().code,
            Errc::auth_failed);
}

// One signature per batch: every stamp of it carries its leaf's path to the signed root, and
// is the server's MAC for its own request only.
TEST(FrankingStampTest, ABatchSharesOneSignatureAndEachStampChecksAlone) {
  SeededRng rng(10);
  StampingKeys keys = fixtures::stamping_keys(rng);
  std::vector<Bytes> senders;
  const Bytes recipient = account(2);  // requests hold views: the accounts outlive them
  std::vector<StampRequest> requests;
  for (std::uint8_t i = 0; i < 5; ++i) senders.push_back(account(static_cast<std::uint8_t>(0x60 + i)));
  for (std::uint8_t i = 0; i < 5; ++i) {
    FrankingTag tag{};
    tag[0] = std::byte{i};
    requests.push_back(StampRequest{tag, senders[i], recipient});
  }
  auto stamps = keys.stamp_batch(requests, 1234);
  ASSERT_TRUE(stamps) << stamps.error().describe();
  ASSERT_EQ(stamps->size(), 5u);
  for (std::size_t i = 0; i < stamps->size(); ++i) {
    const Stamp& stamp = (*stamps)[i];
    EXPECT_EQ(stamp.index, i);
    EXPECT_EQ(stamp.path.size(), 3u);  // 5 leaves, padded to 8
    EXPECT_EQ(stamp.signature, (*stamps)[0].signature);
    EXPECT_TRUE(verify_stamp_signature(keys.public_key(), stamp)) << i;
    EXPECT_TRUE(keys.verify(stamp, requests[i].tag, senders[i], recipient)) << i;
    const std::size_t other = (i + 1) % requests.size();
    EXPECT_FALSE(keys.verify(stamp, requests[other].tag, senders[other], recipient)) << i;
  }
  Stamp moved = (*stamps)[2];
  moved.index = 3;
  EXPECT_FALSE(verify_stamp_signature(keys.public_key(), moved));
  Stamp bent = (*stamps)[2];
  bent.path[1][7] ^= std::byte{1};
  EXPECT_FALSE(verify_stamp_signature(keys.public_key(), bent));
  Stamp altered = (*stamps)[4];
  altered.mac[0] ^= std::byte{1};
  EXPECT_FALSE(verify_stamp_signature(keys.public_key(), altered));
  // The batch's epoch and time are signed with its root.
  Stamp retimed = (*stamps)[1];
  retimed.server_time_ms += 1;
  EXPECT_FALSE(verify_stamp_signature(keys.public_key(), retimed));
  Stamp other_epoch = (*stamps)[1];
  other_epoch.epoch += 1;
  EXPECT_FALSE(verify_stamp_signature(keys.public_key(), other_epoch));
  EXPECT_EQ(keys.stamp_batch({}, 1).error().code, Errc::invalid_argument);
}

// The relay writes each stamp out of its batch (StampBatch::encode_into): byte for byte the
// stamp's own encoding, decoding to a stamp that verifies for its request only, at every batch
// size, padded or not.
TEST(FrankingStampTest, StampsWrittenStraightFromTheirBatchAreTheirOwnEncoding) {
  SeededRng rng(12);
  StampingKeys keys = fixtures::stamping_keys(rng);
  const Bytes sender = account(0x61);
  const Bytes recipient = account(0x62);
  for (std::size_t size : {1U, 2U, 3U, 7U, 8U, 9U, 33U}) {
    std::vector<StampRequest> requests(size);
    for (std::size_t i = 0; i < size; ++i) {
      requests[i].tag[0] = std::byte(i);
      requests[i].tag[1] = std::byte(size);
      requests[i].sender = sender;
      requests[i].recipient = recipient;
    }
    auto batch = keys.sign_batch(requests, 777);
    ASSERT_TRUE(batch) << batch.error().describe();
    ASSERT_EQ(batch->size(), size);
    // Format 2: 96 bytes and 16 per level of the tree.
    EXPECT_EQ(batch->encoded_bytes(), 1 + 4 + 8 + 16 + 1 + 2 + 16 * batch->depth() + 64);
    for (std::size_t i = 0; i < size; ++i) {
      Bytes written(batch->encoded_bytes());
      batch->encode_into(i, written);
      EXPECT_EQ(written, encode_stamp(batch->stamp(i))) << size << " " << i;
      auto decoded = decode_stamp(written);
      ASSERT_TRUE(decoded) << decoded.error().describe();
      EXPECT_EQ(decoded->index, i);
      EXPECT_EQ(decoded->path.size(), batch->depth());
      EXPECT_TRUE(verify_stamp_signature(keys.public_key(), *decoded)) << size << " " << i;
      EXPECT_TRUE(keys.verify(*decoded, requests[i].tag, sender, recipient));
      EXPECT_FALSE(keys.verify(*decoded, requests[(i + 1) % size].tag, sender, recipient) &&
                   size > 1);
    }
  }
}

// The largest batch, 2^16 stamps: the last one's index fills the wire form's 16 bits and still
// round-trips and verifies; one stamp more is refused.
TEST(FrankingStampTest, TheLargestBatchsLastStampRoundTrips) {
  SeededRng rng(13);
  StampingKeys keys = fixtures::stamping_keys(rng);
  const Bytes sender = account(0x71);
  const Bytes recipient = account(0x72);
  std::vector<StampRequest> requests(max_stamp_batch + 1,
                                     StampRequest{FrankingTag{}, sender, recipient});
  requests.back().tag[0] = std::byte{1};
  EXPECT_EQ(keys.sign_batch(requests, 5).error().code, Errc::invalid_argument);
  requests.pop_back();
  requests.back().tag[0] = std::byte{1};
  auto batch = keys.sign_batch(requests, 5);
  ASSERT_TRUE(batch) << batch.error().describe();
  ASSERT_EQ(batch->depth(), max_stamp_depth);
  Bytes written(batch->encoded_bytes());
  batch->encode_into(max_stamp_batch - 1, written);
  auto decoded = decode_stamp(written);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(decoded->index, max_stamp_batch - 1);
  EXPECT_TRUE(verify_stamp_signature(keys.public_key(), *decoded));
  EXPECT_TRUE(keys.verify(*decoded, requests.back().tag, sender, recipient));
  EXPECT_FALSE(keys.verify(*decoded, requests.front().tag, sender, recipient));
}

// The wire form has 16 bits for the index: encoding a stamp whose index is outside its batch
// is a programming error, not a silently different stamp.
TEST(FrankingStampDeathTest, EncodingAnIndexOutsideItsBatchIsAProgrammingError) {
  SeededRng rng(14);
  StampingKeys keys = fixtures::stamping_keys(rng);
  Stamp stamp = *keys.stamp(fixed_tag(), account(1), account(2), 1000);
  stamp.path.assign(max_stamp_depth, StampNode{});
  stamp.index = max_stamp_batch - 1;
  EXPECT_EQ(decode_stamp(encode_stamp(stamp))->index, max_stamp_batch - 1);
  stamp.index = max_stamp_batch + 3;
  EXPECT_DEATH((void)encode_stamp(stamp), "contract violation");
  stamp.path.resize(2);
  stamp.index = 4;
  EXPECT_DEATH((void)encode_stamp(stamp), "contract violation");
}

// A recipient checks the signature at once; another server's stamp does not pass.
TEST(FrankingStampTest, RecipientsTellTheServersStampsFromOthers) {
  SeededRng rng(5);
  StampingKeys ours = fixtures::stamping_keys(rng);
  StampingKeys theirs = fixtures::stamping_keys(rng);
  const Stamp stamp = *theirs.stamp(fixed_tag(), account(1), account(2), 1000);
  EXPECT_TRUE(verify_stamp_signature(theirs.public_key(), stamp));
  EXPECT_EQ(verify_stamp_signature(ours.public_key(), stamp).error().code, Errc::auth_failed);
}

// Rotation: new stamps use the newest epoch, older epochs verify until destroyed, and then
// never again - the message can no longer be proven (deniability over time).
TEST(FrankingStampTest, DestroyedEpochKeysNoLongerVerify) {
  SeededRng rng(6);
  StampingKeys keys = fixtures::stamping_keys(rng, 1);
  const FrankingTag tag = fixed_tag();
  const Stamp old_stamp = *keys.stamp(tag, account(1), account(2), 1000);
  SecretBytes next(stamp_key_bytes);
  rng.fill(next.writable());
  ASSERT_TRUE(keys.add_epoch(2, std::move(next)));
  const Stamp new_stamp = *keys.stamp(tag, account(1), account(2), 2000);
  EXPECT_EQ(old_stamp.epoch, 1u);
  EXPECT_EQ(new_stamp.epoch, 2u);
  EXPECT_TRUE(keys.verify(old_stamp, tag, account(1), account(2)));

  keys.destroy_before(2);
  EXPECT_FALSE(keys.holds(1));
  auto refused = keys.verify(old_stamp, tag, account(1), account(2));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::not_found);
  EXPECT_NE(refused.error().context.find("destroyed"), std::string::npos);
  EXPECT_TRUE(keys.verify(new_stamp, tag, account(1), account(2)));
  // Its signature still checks: it proves the server stamped something then, not what.
  EXPECT_TRUE(verify_stamp_signature(keys.public_key(), old_stamp));
}

TEST(FrankingStampTest, EpochsOnlyMoveForwardAndKeysAre32Bytes) {
  SeededRng rng(8);
  StampingKeys keys(crypto::ed25519_keypair(rng).secret_key);
  EXPECT_EQ(keys.stamp(fixed_tag(), account(1), account(2), 0).error().code, Errc::unavailable);
  EXPECT_EQ(keys.add_epoch(1, SecretBytes(16)).error().code, Errc::invalid_length);
  ASSERT_TRUE(keys.add_epoch(5, SecretBytes(32)));
  EXPECT_EQ(keys.add_epoch(5, SecretBytes(32)).error().code, Errc::invalid_argument);
  EXPECT_EQ(keys.add_epoch(4, SecretBytes(32)).error().code, Errc::invalid_argument);
  EXPECT_EQ(keys.stamp(fixed_tag(), Bytes{}, account(2), 0).error().code, Errc::invalid_length);
}

TEST(FrankingStampTest, TheWireFormIsStrict) {
  SeededRng rng(9);
  StampingKeys keys = fixtures::stamping_keys(rng);
  const Bytes sender = account(1);
  const Bytes recipient = account(2);
  const std::vector<StampRequest> requests(3, StampRequest{FrankingTag{}, sender, recipient});
  const Stamp stamp = (*keys.stamp_batch(requests, -5))[2];
  const Bytes wire = encode_stamp(stamp);
  ASSERT_EQ(wire.size(), min_stamp_bytes + 2 * stamp_node_bytes);
  EXPECT_EQ(*decode_stamp(wire), stamp);
  for (std::size_t size = 0; size < wire.size(); ++size)
    EXPECT_FALSE(decode_stamp(ByteView(wire).first(size))) << "truncated to " << size;
  Bytes longer = wire;
  longer.push_back(std::byte{0});
  EXPECT_EQ(decode_stamp(longer).error().code, Errc::trailing_data);
  Bytes other_version = wire;
  other_version[0] = std::byte{1};  // the unreleased first layout
  EXPECT_EQ(decode_stamp(other_version).error().code, Errc::invalid_encoding);
  constexpr std::size_t depth_at = 1 + 4 + 8 + stamp_mac_bytes;
  Bytes too_deep = wire;
  too_deep[depth_at] = std::byte{max_stamp_depth + 1};
  EXPECT_EQ(decode_stamp(too_deep).error().code, Errc::invalid_encoding);
  Bytes outside = wire;
  outside[depth_at + 2] = std::byte{4};  // index 4 in a batch of depth 2
  EXPECT_EQ(decode_stamp(outside).error().code, Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::franking
