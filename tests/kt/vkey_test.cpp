// Verifier keys (kt/vkey.h): the spec's example and golang.org/x/mod/sumdb/note's keys parse
// and format back byte for byte; every mangling of one is refused, as the Go tests require.
#include "kt/vkey.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "kt/cosignature.h"
#include "kt/note_ed25519.h"

namespace bulwark::kt {
namespace {

// c2sp.org/signed-note §Verifier keys, Example (C2SP/C2SP@5ba5ee83).
constexpr std::string_view spec_vkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
// golang.org/x/mod sumdb/note/note_test.go (golang/mod@02c99138).
constexpr std::string_view peter_vkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

TEST(VkeyTest, SpecExampleParsesAndFormatsBack) {
  auto key = parse_vkey(spec_vkey);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(key->name, "example.com/foo");
  EXPECT_EQ(to_hex(view_of(key->key_id)), "530d903a");
  EXPECT_EQ(key->type, signature_type_ed25519);
  EXPECT_EQ(key->public_key.size(), 32U);
  EXPECT_EQ(format_vkey(*key), spec_vkey);
  EXPECT_EQ(format_vkey(key->name, key->type, key->public_key), spec_vkey);
}

TEST(VkeyTest, EveryManglingOfTheGoReferenceKeyIsRefused) {
  ASSERT_TRUE(NoteVerifier::from_vkey(peter_vkey));
  const std::string vkey(peter_vkey);
  for (std::size_t i = 0; i <= vkey.size(); ++i) {
    for (std::size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(NoteVerifier::from_vkey(vkey.substr(i, j - i))) << vkey.substr(i, j - i);
    }
  }
  for (std::size_t i = 0; i < vkey.size(); ++i) {
    std::string mangled = vkey;
    ++mangled[i];
    EXPECT_FALSE(NoteVerifier::from_vkey(mangled)) << mangled;
  }
}

TEST(VkeyTest, KeyOfTheWrongLengthOrTypeIsRefusedEvenWithItsOwnKeyId) {
  // From the Go tests: key IDs recomputed for a 36-byte key and for type 0x65. Go's base64
  // takes the long key's non-zero padding bits ("KEY=="); the canonical form is "KEQ==".
  const std::string_view long_key =
      "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEQ==";
  const std::string_view unknown_type =
      "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  EXPECT_EQ(parse_vkey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                .error()
                .code,
            Errc::invalid_encoding);
  ASSERT_TRUE(parse_vkey(long_key));
  ASSERT_TRUE(parse_vkey(unknown_type));
  EXPECT_EQ(NoteVerifier::from_vkey(long_key).error().code, Errc::invalid_length);
  EXPECT_EQ(NoteVerifier::from_vkey(unknown_type).error().code, Errc::invalid_argument);
  EXPECT_EQ(CosignerKey::from_vkey(unknown_type).error().code, Errc::invalid_argument);
}

TEST(VkeyTest, KeyIdMustBeEightLowerCaseHexDigitsOfTheKey) {
  EXPECT_EQ(parse_vkey("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                .error()
                .code,
            Errc::invalid_encoding);
  EXPECT_EQ(parse_vkey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                .error()
                .code,
            Errc::invalid_encoding);
  EXPECT_FALSE(parse_vkey("PeterNeumann+0c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(parse_vkey("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(parse_vkey("PeterNeumann+c74f20a3"));
  EXPECT_FALSE(parse_vkey("PeterNeumann+c74f20a3+"));
  EXPECT_FALSE(parse_vkey("PeterNeumann+c74f20a3+AQ=="));  // a type byte and no key
  EXPECT_FALSE(parse_vkey("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  EXPECT_FALSE(parse_vkey("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
}

TEST(VkeyTest, SignatureTypeDecidesWhichVerifierTakesAKey) {
  auto ed25519 = NoteVerifier::from_vkey(peter_vkey);
  ASSERT_TRUE(ed25519);
  const std::string cosigner_vkey =
      format_vkey("PeterNeumann", signature_type_cosignature_v1, ed25519->public_key().bytes());
  EXPECT_EQ(NoteVerifier::from_vkey(cosigner_vkey).error().code, Errc::invalid_argument);
  EXPECT_EQ(CosignerKey::from_vkey(peter_vkey).error().code, Errc::invalid_argument);
  auto cosigner = CosignerKey::from_vkey(cosigner_vkey);
  ASSERT_TRUE(cosigner) << cosigner.error().describe();
  EXPECT_EQ(cosigner->vkey(), cosigner_vkey);
  EXPECT_NE(cosigner->key_id(), ed25519->key_id());
}

TEST(VkeyTest, SmallOrderEd25519KeyIsRefused) {
  // The identity point: a "public key" every signature could be forged under.
  Bytes identity(32);
  identity[0] = std::byte{1};
  EXPECT_FALSE(NoteVerifier::from_vkey(format_vkey("a", signature_type_ed25519, identity)));
  EXPECT_FALSE(CosignerKey::from_vkey(format_vkey("a", signature_type_cosignature_v1, identity)));
}

}  // namespace
}  // namespace bulwark::kt
