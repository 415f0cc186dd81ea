#include "protocol/fingerprint.h"

#include <gtest/gtest.h>

namespace bulwark::protocol {
namespace {

// libsignal rust/protocol/src/fingerprint.rs tests (testVectorsVersion1/2).
constexpr std::string_view alice_identity_hex =
    "0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868";
constexpr std::string_view bob_identity_hex =
    "05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b";
constexpr std::string_view expected_displayable =
    "300354477692869396892869876765458257569162576843440918079131";
constexpr std::string_view alice_scannable_v1 =
    "080112220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df1a220a20d62cbf"
    "73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d";
constexpr std::string_view bob_scannable_v1 =
    "080112220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d1a220a201e301a"
    "0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df";
constexpr std::string_view alice_scannable_v2 =
    "080212220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df1a220a20d62cbf"
    "73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d";

IdentityKey key(std::string_view hex) {
  return PublicKey::deserialize(from_hex(hex).value()).value();
}

Fingerprint fingerprint_of(std::uint32_t version, std::string_view local_id,
                           const IdentityKey& local, std::string_view remote_id,
                           const IdentityKey& remote) {
  return compute_fingerprint(version, fingerprint_iterations, {as_bytes(local_id), local},
                             {as_bytes(remote_id), remote})
      .value();
}

TEST(FingerprintTest, MatchesLibsignalVectorsVersion1) {
  auto alice = key(alice_identity_hex);
  auto bob = key(bob_identity_hex);
  auto alice_view = fingerprint_of(1, "+14152222222", alice, "+14153333333", bob);
  auto bob_view = fingerprint_of(1, "+14153333333", bob, "+14152222222", alice);
  EXPECT_EQ(alice_view.displayable, expected_displayable);
  EXPECT_EQ(bob_view.displayable, expected_displayable);
  EXPECT_EQ(to_hex(alice_view.scannable), alice_scannable_v1);
  EXPECT_EQ(to_hex(bob_view.scannable), bob_scannable_v1);
  EXPECT_TRUE(scannable_fingerprints_match(alice_view.scannable, bob_view.scannable).value());
  EXPECT_TRUE(scannable_fingerprints_match(bob_view.scannable, alice_view.scannable).value());
}

TEST(FingerprintTest, MatchesLibsignalVectorsVersion2) {
  auto alice_view = fingerprint_of(2, "+14152222222", key(alice_identity_hex), "+14153333333",
                                   key(bob_identity_hex));
  EXPECT_EQ(alice_view.displayable, expected_displayable);
  EXPECT_EQ(to_hex(alice_view.scannable), alice_scannable_v2);
}

TEST(FingerprintTest, DifferentIdentifierOrKeyDoesNotMatch) {
  auto alice = key(alice_identity_hex);
  auto bob = key(bob_identity_hex);
  auto genuine = fingerprint_of(2, "+14152222222", alice, "+14153333333", bob);
  auto wrong_id = fingerprint_of(2, "+14153333333", bob, "+141512222222", alice);
  EXPECT_NE(wrong_id.displayable, genuine.displayable);
  EXPECT_FALSE(scannable_fingerprints_match(genuine.scannable, wrong_id.scannable).value());
  auto wrong_key = fingerprint_of(2, "+14153333333", alice, "+14152222222", alice);
  EXPECT_FALSE(scannable_fingerprints_match(genuine.scannable, wrong_key.scannable).value());
  // Our own code scanned back is not a match: local and remote are not swapped.
  EXPECT_FALSE(scannable_fingerprints_match(genuine.scannable, genuine.scannable).value());
}

TEST(FingerprintTest, VersionMismatchAndGarbageAreErrors) {
  auto alice = key(alice_identity_hex);
  auto bob = key(bob_identity_hex);
  auto v1 = fingerprint_of(1, "a", alice, "b", bob);
  auto v2 = fingerprint_of(2, "b", bob, "a", alice);
  EXPECT_EQ(scannable_fingerprints_match(v1.scannable, v2.scannable).error().code,
            Errc::invalid_message);
  Bytes garbage = from_hex("ffffffff").value();
  EXPECT_EQ(scannable_fingerprints_match(v1.scannable, garbage).error().code,
            Errc::invalid_encoding);
  EXPECT_EQ(compute_fingerprint(2, 1, {as_bytes("a"), alice}, {as_bytes("b"), bob}).error().code,
            Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::protocol
