// Serialisations byte for byte as libsignal makes them: keys, messages, the SPQR field.
#include <gtest/gtest.h>

#include "protocol/keys.h"
#include "protocol/message.h"
#include "protocol/prekeys.h"
#include "protocol/ratchet/pq_ratchet.h"
#include "support/seeded_rng.h"

namespace bulwark::protocol {
namespace {

using bulwark::testing::SeededRng;

TEST(KeysTest, EcPublicKeyIsTypeByteFiveAndThirtyTwoBytes) {
  SeededRng rng(1);
  auto pair = KeyPair::generate(rng);
  auto serialized = pair.public_key().serialize();
  ASSERT_EQ(serialized.size(), 33u);
  EXPECT_EQ(serialized[0], std::byte{0x05});
  EXPECT_EQ(PublicKey::deserialize(serialized).value(), pair.public_key());
  auto wrong_type = serialized;
  wrong_type[0] = std::byte{0x06};
  EXPECT_EQ(PublicKey::deserialize(wrong_type).error().code, Errc::invalid_encoding);
  EXPECT_EQ(PublicKey::deserialize(ByteView(serialized).first(32)).error().code,
            Errc::invalid_length);
  EXPECT_FALSE(PublicKey::deserialize({}));
}

TEST(KeysTest, KyberPublicKeyIsTypeByteEightAndRejectsOtherKemTypes) {
  SeededRng rng(2);
  auto pair = KyberKeyPair::generate(rng);
  ByteView serialized = pair.public_key().serialized();
  ASSERT_EQ(serialized.size(), 1569u);
  EXPECT_EQ(serialized[0], std::byte{0x08});
  for (std::byte type : {std::byte{0x07}, std::byte{0x0A}}) {
    Bytes other = to_bytes(serialized);
    other[0] = type;
    EXPECT_EQ(KyberPublicKey::deserialize(other).error().code, Errc::invalid_encoding);
  }
  auto encapsulation = kyber_encapsulate(pair.public_key(), rng).value();
  ASSERT_EQ(encapsulation.serialized_ciphertext.size(), 1569u);
  auto secret = kyber_decapsulate(pair, encapsulation.serialized_ciphertext).value();
  EXPECT_EQ(to_bytes(secret.view()), to_bytes(encapsulation.shared_secret.view()));
}

TEST(KeysTest, PreKeySignaturesAreXeddsaOverTheSerialisedKey) {
  SeededRng rng(3);
  auto identity = KeyPair::generate(rng);
  auto signed_pre_key = SignedPreKeyRecord::generate(SignedPreKeyId(1), 0, identity, rng);
  EXPECT_TRUE(identity.public_key().verify_signature(signed_pre_key.key_pair.public_key().serialize(),
                                                     signed_pre_key.signature));
  auto kyber = KyberPreKeyRecord::generate(KyberPreKeyId(2), 0, identity, rng);
  EXPECT_TRUE(identity.public_key().verify_signature(kyber.key_pair.public_key().serialized(),
                                                     kyber.signature));
}

class MessageTest : public ::testing::Test {
 protected:
  SeededRng rng_{4};
  KeyPair alice_ = KeyPair::generate(rng_);
  KeyPair bob_ = KeyPair::generate(rng_);
  KeyPair ratchet_ = KeyPair::generate(rng_);
  Bytes mac_key_ = Bytes(32, std::byte{7});

  SignalMessage make(std::uint32_t counter) {
    return SignalMessage::create({4, ratchet_.public_key(), counter, 3, Bytes(16, std::byte{9}), {}},
                                 mac_key_, alice_.public_key(), bob_.public_key());
  }
};

TEST_F(MessageTest, SignalMessageRoundTripsAndCarriesAnEightByteMac) {
  auto message = make(300);
  ByteView bytes = message.serialized();
  EXPECT_EQ(bytes[0], std::byte{0x44});
  auto parsed = SignalMessage::parse(bytes).value();
  EXPECT_EQ(parsed.fields().counter, 300u);
  EXPECT_EQ(parsed.fields().previous_counter, 3u);
  EXPECT_EQ(parsed.fields().ratchet_key, ratchet_.public_key());
  EXPECT_TRUE(parsed.fields().pq_ratchet.empty());
  EXPECT_TRUE(parsed.verify_mac(mac_key_, alice_.public_key(), bob_.public_key()));
  // The MAC binds sender and receiver in that order.
  EXPECT_FALSE(parsed.verify_mac(mac_key_, bob_.public_key(), alice_.public_key()));
  // protobuf: ratchet_key (1), counter (2), previous_counter (3), ciphertext (4), tag order.
  EXPECT_EQ(bytes[1], std::byte{0x0A});
  EXPECT_EQ(bytes[2], std::byte{33});
  EXPECT_EQ(bytes.size(), 1 + 35 + 3 + 2 + 18 + 8u);
}

TEST_F(MessageTest, VersionsOtherThanFourAreRefused) {
  Bytes bytes = to_bytes(make(1).serialized());
  for (unsigned high : {0u, 1u, 2u, 3u, 5u, 15u}) {
    bytes[0] = static_cast<std::byte>((high << 4) | 4);
    auto parsed = SignalMessage::parse(bytes);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, Errc::invalid_message) << high;
  }
}

TEST_F(MessageTest, PreKeySignalMessageRoundTripsInTagOrder) {
  auto inner = make(0);
  auto message = PreKeySignalMessage::create(
      {4, RegistrationId(77), PreKeyId(5), SignedPreKeyId(6), KyberPreKeyId(7),
       Bytes(1569, std::byte{8}), ratchet_.public_key(), alice_.public_key()},
      inner);
  auto parsed = PreKeySignalMessage::parse(message.serialized()).value();
  EXPECT_EQ(parsed.fields().registration_id, RegistrationId(77));
  EXPECT_EQ(parsed.fields().pre_key_id, PreKeyId(5));
  EXPECT_EQ(parsed.fields().signed_pre_key_id, SignedPreKeyId(6));
  EXPECT_EQ(parsed.fields().kyber_pre_key_id, KyberPreKeyId(7));
  EXPECT_EQ(parsed.fields().kyber_ciphertext.size(), 1569u);
  EXPECT_EQ(to_bytes(parsed.message().serialized()), to_bytes(inner.serialized()));
  EXPECT_EQ(message.serialized()[1], std::byte{0x08});  // field 1 (pre_key_id) first
}

TEST(PqRatchetTest, AcceptsNoFieldAndLibsignalsUnkeyedFirstMessages) {
  auto pq = ratchet::PqRatchet::start(SecretBytes(32), ratchet::PqRole::responder);
  EXPECT_TRUE(pq.key_for_incoming({}).value().empty());
  // libsignal 0.90.0's initiator before our first reply: V1, epoch 1, index 0, Hdr chunk.
  Bytes first = concat({from_hex("0101000100").value(), Bytes(32)});
  EXPECT_TRUE(pq.key_for_incoming(first).value().empty());
  // Unknown SPQR versions are ignored, as libsignal does.
  EXPECT_TRUE(pq.key_for_incoming(from_hex("02ff").value()).value().empty());
}

TEST(PqRatchetTest, RefusesKeyedAndMalformedSpqrMessages) {
  auto pq = ratchet::PqRatchet::start(SecretBytes(32), ratchet::PqRole::initiator);
  for (std::string_view hex : {"01010105", "0102000100", "010001", "01", "0101", "01ffffffffffffffffffff"}) {
    auto result = pq.key_for_incoming(from_hex(hex).value());
    ASSERT_FALSE(result) << hex;
    EXPECT_EQ(result.error().code, Errc::invalid_message);
  }
}

}  // namespace
}  // namespace bulwark::protocol
