// Known-answer tests for X25519 (RFC 7748) and the strict public-key decoding around it.
//
// The vectors are the RFC's own, transcribed from pyca/cryptography
// vectors/cryptography_vectors/asymmetric/X25519/rfc7748.txt (§5.2) and aws/aws-lc
// crypto/curve25519/x25519_test.cc (§5.2 iterations, §6.1), and checked against Python
// cryptography (OpenSSL), 1,000,000 iterations included. The u inputs are decoded with
// from_bytes_lenient because RFC 7748 §5 tells implementations to mask the top bit, and the
// second §5.2 vector sets it.
#include <cstddef>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/detail/x25519_rfc7748.h"
#include "crypto/x25519.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using bulwark::testing::hex;

// X25519(k, u) on raw 32-byte strings, as RFC 7748 §5.2 states its vectors.
std::string x25519_hex(std::string_view scalar_hex, std::string_view u_hex) {
  auto secret = X25519SecretKey::from_bytes(hex(scalar_hex));
  auto peer = detail::x25519_public_key_rfc7748(hex(u_hex));
  if (!secret || !peer) return "decode failed";
  auto shared = x25519(*secret, *peer);
  if (!shared) return "x25519 failed: " + shared.error().describe();
  return to_hex(shared->view());
}

// RFC 7748 §5.2 iteration: k = u = 9; each round sets k = X25519(k, u) and u = the old k.
// The old k is the raw string, not the clamped scalar, so it is kept as plain bytes here.
std::string iterate_from_nine(int rounds) {
  Bytes k = hex("0900000000000000000000000000000000000000000000000000000000000000");
  Bytes u = k;
  for (int i = 0; i < rounds; ++i) {
    auto secret = X25519SecretKey::from_bytes(k);
    auto peer = detail::x25519_public_key_rfc7748(u);
    if (!secret || !peer) return "decode failed in round " + std::to_string(i);
    auto next = x25519(*secret, *peer);
    if (!next) return "x25519 failed in round " + std::to_string(i);
    u = k;
    k = to_bytes(next->view());
  }
  return to_hex(k);
}

// RFC 7748 §5.2, first vector.
TEST(X25519Test, Rfc7748FirstVectorMatches) {
  EXPECT_EQ(x25519_hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                       "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"),
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
}

// RFC 7748 §5.2, second vector: the u input has its top bit set, which must be masked.
TEST(X25519Test, Rfc7748SecondVectorWithTopBitSetMatches) {
  EXPECT_EQ(x25519_hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                       "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"),
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

// RFC 7748 §5.2, iterated vector after one iteration.
TEST(X25519Test, IteratedOnce) {
  EXPECT_EQ(iterate_from_nine(1),
            "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
}

// RFC 7748 §5.2, iterated vector after 1,000 iterations.
TEST(X25519Test, IteratedThousand) {
  EXPECT_EQ(iterate_from_nine(1'000),
            "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

// RFC 7748 §5.2, iterated vector after 1,000,000 iterations (~30 s; CI runs it only in the
// normal build, by this exact name).
TEST(X25519Test, IteratedMillion) {
  EXPECT_EQ(iterate_from_nine(1'000'000),
            "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424");
}

// RFC 7748 §6.1: both public keys and the shared secret, computed from both sides.
TEST(X25519Test, Rfc7748DiffieHellmanExampleMatches) {
  auto alice = X25519SecretKey::from_bytes(
      hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = X25519SecretKey::from_bytes(
      hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice);
  ASSERT_TRUE(bob);
  const X25519PublicKey alice_public = alice->public_key();
  const X25519PublicKey bob_public = bob->public_key();
  EXPECT_EQ(to_hex(alice_public.bytes()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex(bob_public.bytes()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

  auto alice_shared = x25519(*alice, bob_public);
  auto bob_shared = x25519(*bob, alice_public);
  ASSERT_TRUE(alice_shared);
  ASSERT_TRUE(bob_shared);
  const std::string expected = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  EXPECT_EQ(to_hex(alice_shared->view()), expected);
  EXPECT_EQ(to_hex(bob_shared->view()), expected);
}

TEST(X25519Test, StrictDecodingRejectsWrongLengths) {
  for (std::size_t length : {std::size_t{0}, std::size_t{31}, std::size_t{33}}) {
    auto key = X25519PublicKey::from_bytes(Bytes(length, std::byte{0x09}));
    ASSERT_FALSE(key) << length << " bytes";
    EXPECT_EQ(key.error().code, Errc::invalid_length) << length << " bytes";
  }
}

// The second RFC 7748 §5.2 u input has bit 255 set: fine for the lenient decoder, not for a
// key that must have a single encoding.
TEST(X25519Test, StrictDecodingRejectsTopBitSet) {
  const Bytes u = hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
  auto key = X25519PublicKey::from_bytes(u);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::invalid_encoding);
  EXPECT_TRUE(detail::x25519_public_key_rfc7748(u));
}

// u = p = 2^255 - 19 is a second encoding of u = 0.
TEST(X25519Test, StrictDecodingRejectsNonCanonicalFieldElement) {
  auto key = X25519PublicKey::from_bytes(
      hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::invalid_encoding);
}

// u = p - 1 is the largest canonical value, so the boundary is exactly p.
TEST(X25519Test, StrictDecodingAcceptsLargestCanonicalValue) {
  EXPECT_TRUE(X25519PublicKey::from_bytes(
      hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")));
}

// u = 0 and u = 1 have small order: every scalar maps them to the all-zero output.
TEST(X25519Test, SmallOrderPeerKeyIsWeakKey) {
  auto secret = X25519SecretKey::from_bytes(
      hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  ASSERT_TRUE(secret);
  for (std::string_view u : {"0000000000000000000000000000000000000000000000000000000000000000",
                             "0100000000000000000000000000000000000000000000000000000000000000"}) {
    auto peer = detail::x25519_public_key_rfc7748(hex(u));
    ASSERT_TRUE(peer) << u;
    auto shared = x25519(*secret, *peer);
    ASSERT_FALSE(shared) << u;
    EXPECT_EQ(shared.error().code, Errc::weak_key) << u;
  }
}

}  // namespace
}  // namespace bulwark::crypto
