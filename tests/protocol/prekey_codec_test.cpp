// libsignal's record serialisations, byte for byte. The vectors were made by
// @signalapp/libsignal-client 0.90.0 (IdentityKeyPair.serialize, PreKeyRecord.new(7, ...),
// SignedPreKeyRecord.new(9, 1700000000000, ..., signature 0x01 x 64)); the interop suite also
// round-trips fresh records of every kind through both libraries.
#include "protocol/prekey_codec.h"

#include <gtest/gtest.h>

#include "support/seeded_rng.h"

namespace bulwark::protocol {
namespace {

constexpr std::string_view libsignal_identity_key_pair =
    "0a21050458f580328d950ed2cd884ef4cf75a463bd7fc1b569d8ec76aba10342767c081220504b9a8a50e8372a"
    "0bf8eabed5c675665179b1243f2f6df8c39cec22cc096471";
constexpr std::string_view libsignal_pre_key =
    "0807122105a537eb0ec33dc8349537b9471c3f1c198e0d27cd59643cb02bb55b130aa5d3781a20e031877a8783"
    "652bff706fcf57ef00926910b2bf468c8465c7f2f73a58648550";
constexpr std::string_view libsignal_signed_pre_key =
    "0809122105a537eb0ec33dc8349537b9471c3f1c198e0d27cd59643cb02bb55b130aa5d3781a20e031877a8783"
    "652bff706fcf57ef00926910b2bf468c8465c7f2f73a5864855022400101010101010101010101010101010101"
    "010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101"
    "0101290068e5cf8b010000";

Bytes hex(std::string_view text) { return from_hex(text).value(); }
std::string hex_of(const SecretBytes& bytes) { return to_hex(bytes.view()); }

TEST(PreKeyCodecTest, LibsignalRecordsRoundTripByteForByte) {
  auto identity = deserialize_identity_key_pair(hex(libsignal_identity_key_pair));
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(hex_of(serialize_identity_key_pair(*identity)), libsignal_identity_key_pair);

  auto pre_key = deserialize_pre_key(hex(libsignal_pre_key));
  ASSERT_TRUE(pre_key) << pre_key.error().describe();
  EXPECT_EQ(pre_key->id, PreKeyId(7));
  EXPECT_EQ(hex_of(serialize_pre_key(*pre_key)), libsignal_pre_key);

  auto signed_pre_key = deserialize_signed_pre_key(hex(libsignal_signed_pre_key));
  ASSERT_TRUE(signed_pre_key) << signed_pre_key.error().describe();
  EXPECT_EQ(signed_pre_key->id, SignedPreKeyId(9));
  EXPECT_EQ(signed_pre_key->timestamp_ms, 1'700'000'000'000u);
  EXPECT_EQ(signed_pre_key->key_pair.public_key(), pre_key->key_pair.public_key());
  EXPECT_EQ(hex_of(serialize_signed_pre_key(*signed_pre_key)), libsignal_signed_pre_key);
}

TEST(PreKeyCodecTest, KyberRecordRoundTrips) {
  testing::SeededRng rng(61);
  auto identity = KeyPair::generate(rng);
  auto record = KyberPreKeyRecord::generate(KyberPreKeyId(3), 42, identity, rng);
  auto bytes = serialize_kyber_pre_key(record);
  auto again = deserialize_kyber_pre_key(bytes.view());
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->key_pair.public_key(), record.key_pair.public_key());
  EXPECT_EQ(hex_of(serialize_kyber_pre_key(*again)), hex_of(bytes));
}

TEST(PreKeyCodecTest, MismatchedOrDamagedKeysAreRefused) {
  Bytes identity = hex(libsignal_identity_key_pair);
  identity[5] ^= std::byte{1};  // public key no longer matches the private key
  EXPECT_EQ(deserialize_identity_key_pair(identity).error().code, Errc::invalid_encoding);
  Bytes pre_key = hex(libsignal_pre_key);
  pre_key.resize(pre_key.size() - 1);
  EXPECT_FALSE(deserialize_pre_key(pre_key));

  testing::SeededRng rng(62);
  auto owner = KeyPair::generate(rng);
  auto kyber = KyberPreKeyRecord::generate(KyberPreKeyId(3), 42, owner, rng);
  auto other = KyberPreKeyRecord::generate(KyberPreKeyId(4), 42, owner, rng);
  KyberPreKeyRecord mixed{kyber.id, 42, KyberKeyPair(other.key_pair.public_key(), kyber.key_pair.secret_key().clone()), kyber.signature};
  EXPECT_EQ(deserialize_kyber_pre_key(serialize_kyber_pre_key(mixed).view()).error().code,
            Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::protocol
