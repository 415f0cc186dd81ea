// Known-answer tests for Kyber1024 round 3 (libsignal's PQXDH KEM, key type 0x08).
//
// The vectors are libcrux's tests/kats/nistkats_kyber_1024.json (the implementation libsignal
// links), copied verbatim into tests/crypto/vectors/kyber1024_r3.json with its provenance. They
// store SHA3-256 of ek, dk and c, so those are compared as hashes; shared secrets are stored
// whole. No vector covers implicit rejection, so that check computes the round-3 value
// SHAKE256(z || SHA3-256(c'), 32) itself.
#include <array>
#include <cstddef>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/hash.h"
#include "crypto/detail/kem_internal.h"
#include "crypto/kem.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

namespace k = kyber1024;

constexpr std::size_t kat_count = 100;
// dk = ByteEncode12(s) || ek || H(ek) || z.
constexpr std::size_t dk_ek_offset = 1536;
constexpr std::size_t dk_hash_offset = dk_ek_offset + k::public_key_bytes;
constexpr std::size_t dk_z_offset = dk_hash_offset + sha3_256_bytes;
// c = c1 || c2 with du = 11, dv = 5: c1 is 4 * 256 * 11 / 8 bytes.
constexpr std::size_t c1_bytes = 1408;

nlohmann::json load_kats() {
  return bulwark::testing::load_json(
      bulwark::testing::repo_test_path("crypto/vectors/kyber1024_r3.json"))["tests"];
}

// The field decoded from hex; malformed hex throws, failing the test.
Bytes field_bytes(const nlohmann::json& kat, const char* name) {
  return bulwark::testing::hex(kat.at(name).get<std::string>());
}

// The field as lower-case hex, checked to be well-formed hex.
std::string hex_field(const nlohmann::json& kat, const char* name) {
  return to_hex(field_bytes(kat, name));
}

std::string sha3_256_hex(ByteView data) { return to_hex(view_of(sha3_256(data))); }

std::string entry_label(std::size_t index) { return "KAT entry " + std::to_string(index); }

// Round 3's implicit-rejection key: SHAKE256(z || SHA3-256(c), 32).
std::string rejection_key_hex(ByteView z, ByteView ciphertext) {
  const auto ciphertext_hash = sha3_256(ciphertext);
  std::array<std::byte, kem_shared_secret_bytes> key{};
  shake256({z, view_of(ciphertext_hash)}, key);
  return to_hex(view_of(key));
}

// Ciphertext bytes to corrupt, cycling over both ends of c1 and c2 and their middles.
constexpr std::array<std::size_t, 6> flip_positions{
    0, 700, c1_bytes - 1, c1_bytes, c1_bytes + 80, k::ciphertext_bytes - 1};

TEST(Kyber1024R3Test, VectorFileHoldsOneHundredWellFormedEntries) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  for (std::size_t i = 0; i < kats.size(); ++i) {
    SCOPED_TRACE(entry_label(i));
    const auto& kat = kats[i];
    EXPECT_EQ(hex_field(kat, "key_generation_seed").size(), 2 * kem_seed_bytes);
    EXPECT_EQ(hex_field(kat, "encapsulation_seed").size(), 2 * kem_message_bytes);
    EXPECT_EQ(hex_field(kat, "sha3_256_hash_of_public_key").size(), 2 * sha3_256_bytes);
    EXPECT_EQ(hex_field(kat, "sha3_256_hash_of_secret_key").size(), 2 * sha3_256_bytes);
    EXPECT_EQ(hex_field(kat, "sha3_256_hash_of_ciphertext").size(), 2 * sha3_256_bytes);
    EXPECT_EQ(hex_field(kat, "shared_secret").size(), 2 * kem_shared_secret_bytes);
  }
}

TEST(Kyber1024R3Test, KatKeyGenMatchesLibcrux) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  for (std::size_t i = 0; i < kats.size(); ++i) {
    SCOPED_TRACE(entry_label(i));
    const auto& kat = kats[i];
    const Bytes seed = field_bytes(kat, "key_generation_seed");
    const auto pair = k::keypair_from_seed(seed);
    ASSERT_TRUE(pair.has_value()) << pair.error().describe();
    ASSERT_EQ(pair->public_key.size(), k::public_key_bytes);
    ASSERT_EQ(pair->secret_key.size(), k::secret_key_bytes);
    EXPECT_EQ(sha3_256_hex(pair->public_key), hex_field(kat, "sha3_256_hash_of_public_key"));
    EXPECT_EQ(sha3_256_hex(pair->secret_key.view()), hex_field(kat, "sha3_256_hash_of_secret_key"));
  }
}

TEST(Kyber1024R3Test, KatSecretKeyEmbedsPublicKeyItsHashAndZ) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  for (std::size_t i = 0; i < kats.size(); ++i) {
    SCOPED_TRACE(entry_label(i));
    const Bytes seed = field_bytes(kats[i], "key_generation_seed");
    const auto pair = k::keypair_from_seed(seed);
    ASSERT_TRUE(pair.has_value()) << pair.error().describe();
    ASSERT_EQ(pair->secret_key.size(), k::secret_key_bytes);
    const ByteView dk = pair->secret_key.view();
    EXPECT_EQ(to_hex(dk.subspan(dk_ek_offset, k::public_key_bytes)), to_hex(pair->public_key));
    EXPECT_EQ(to_hex(dk.subspan(dk_hash_offset, sha3_256_bytes)), sha3_256_hex(pair->public_key));
    EXPECT_EQ(to_hex(dk.subspan(dk_z_offset)), to_hex(ByteView(seed).subspan(32)));
  }
}

TEST(Kyber1024R3Test, KatEncapsulationMatchesLibcrux) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  for (std::size_t i = 0; i < kats.size(); ++i) {
    SCOPED_TRACE(entry_label(i));
    const auto& kat = kats[i];
    const auto pair = k::keypair_from_seed(field_bytes(kat, "key_generation_seed"));
    ASSERT_TRUE(pair.has_value()) << pair.error().describe();
    const Bytes message = field_bytes(kat, "encapsulation_seed");
    const auto sent = detail::kyber1024::encapsulate_with_message(pair->public_key, message);
    ASSERT_TRUE(sent.has_value()) << sent.error().describe();
    ASSERT_EQ(sent->ciphertext.size(), k::ciphertext_bytes);
    EXPECT_EQ(sha3_256_hex(sent->ciphertext), hex_field(kat, "sha3_256_hash_of_ciphertext"));
    EXPECT_EQ(to_hex(sent->shared_secret.view()), hex_field(kat, "shared_secret"));
  }
}

TEST(Kyber1024R3Test, KatDecapsulationRecoversSharedSecret) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  for (std::size_t i = 0; i < kats.size(); ++i) {
    SCOPED_TRACE(entry_label(i));
    const auto& kat = kats[i];
    const auto pair = k::keypair_from_seed(field_bytes(kat, "key_generation_seed"));
    ASSERT_TRUE(pair.has_value()) << pair.error().describe();
    const auto sent =
        detail::kyber1024::encapsulate_with_message(pair->public_key, field_bytes(kat, "encapsulation_seed"));
    ASSERT_TRUE(sent.has_value()) << sent.error().describe();
    const auto received = k::decapsulate(pair->secret_key, sent->ciphertext);
    ASSERT_TRUE(received.has_value()) << received.error().describe();
    EXPECT_EQ(to_hex(received->view()), hex_field(kat, "shared_secret"));
  }
}

TEST(Kyber1024R3Test, FlippedCiphertextBitGivesImplicitRejectionKey) {
  const auto kats = load_kats();
  ASSERT_EQ(kats.size(), kat_count);
  constexpr std::size_t stride = 4;
  for (std::size_t i = 0; i < kats.size(); i += stride) {
    SCOPED_TRACE(entry_label(i));
    const auto& kat = kats[i];
    const auto pair = k::keypair_from_seed(field_bytes(kat, "key_generation_seed"));
    ASSERT_TRUE(pair.has_value()) << pair.error().describe();
    ASSERT_EQ(pair->secret_key.size(), k::secret_key_bytes);
    const auto sent =
        detail::kyber1024::encapsulate_with_message(pair->public_key, field_bytes(kat, "encapsulation_seed"));
    ASSERT_TRUE(sent.has_value()) << sent.error().describe();
    ASSERT_EQ(sent->ciphertext.size(), k::ciphertext_bytes);

    Bytes forged = sent->ciphertext;
    const std::size_t position = flip_positions[(i / stride) % flip_positions.size()];
    forged[position] ^= std::byte{static_cast<unsigned char>(1U << ((i / stride) % 8))};

    const auto received = k::decapsulate(pair->secret_key, forged);
    ASSERT_TRUE(received.has_value()) << received.error().describe();
    const ByteView z = pair->secret_key.view().subspan(dk_z_offset);
    EXPECT_EQ(to_hex(received->view()), rejection_key_hex(z, forged))
        << "flipped byte " << position;
    EXPECT_NE(to_hex(received->view()), hex_field(kat, "shared_secret"));
  }
}

}  // namespace
}  // namespace bulwark::crypto
