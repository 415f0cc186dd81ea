// Cosignatures (kt/cosignature.h): the tlog-cosignature spec's example framing and signed
// message, a known answer computed by an independent implementation, round trips, and the
// refusal of a cosignature over anything but what was cosigned.
#include "kt/cosignature.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "kt/note_ed25519.h"
#include "kt/vkey.h"
#include "support/seeded_rng.h"
#include "support/vectors.h"

namespace bulwark::kt {
namespace {

using bulwark::testing::hex;

// c2sp.org/tlog-cosignature (C2SP/C2SP@5ba5ee83): the example checkpoint, cosigned by
// witness.example.com/w1 (whose key is not published), and the example signed message.
constexpr std::string_view spec_body =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::string_view spec_cosigned =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv"
    "2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2"
    "oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
constexpr std::string_view spec_message =
    "cosignature/v1\n"
    "time 1679315147\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::uint64_t spec_time = 1679315147;

// A known answer computed with Python's `cryptography` 48 (OpenSSL Ed25519) from the specs
// alone, not from this code: the RFC 8032 §7.1 TEST 1 key as witness.example.com/w1 cosigns
// the spec's checkpoint body at the spec's time. The same script reproduces the Go reference
// vectors of note_test.cpp byte for byte.
constexpr std::string_view rfc8032_test1_seed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view known_vkey =
    "witness.example.com/w1+7e6f4aaa+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
constexpr std::string_view known_line =
    "— witness.example.com/w1 fm9KqgAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/kmm5tlCr9sJ57DLErur7K0"
    "yDXc2ArN+TIuotuB/HbuL3AJsp3bv/aNCQ==";

crypto::Ed25519SecretKey known_key() {
  auto key = crypto::Ed25519SecretKey::from_seed(hex(rfc8032_test1_seed));
  if (!key) ADD_FAILURE() << key.error().describe();
  return std::move(*key);
}

CosignerKey cosigner_of(const crypto::Ed25519SecretKey& key, std::string name) {
  auto cosigner = CosignerKey::create(std::move(name), key.public_key());
  if (!cosigner) ADD_FAILURE() << cosigner.error().describe();
  return std::move(*cosigner);
}

TEST(CosignatureTest, SignedMessageIsTheSpecExample) {
  EXPECT_EQ(cosignature_v1_message(spec_body, spec_time), spec_message);
  EXPECT_EQ(cosignature_v1_message(spec_body, 0),
            "cosignature/v1\ntime 0\n" + std::string(spec_body));
}

TEST(CosignatureTest, SpecExampleLineIsAKeyIdATimestampAndAnEd25519Signature) {
  auto note = parse_note(spec_cosigned);
  ASSERT_TRUE(note) << note.error().describe();
  EXPECT_EQ(format_note(*note), spec_cosigned);
  ASSERT_EQ(note->signatures.size(), 2U);
  const NoteSignature& witness = note->signatures[1];
  EXPECT_EQ(witness.name, "witness.example.com/w1");
  EXPECT_EQ(to_hex(view_of(witness.key_id)), "8d66cf3f");
  ASSERT_EQ(witness.signature.size(), cosignature_v1_bytes);
  EXPECT_EQ(to_hex(ByteView(witness.signature).first(8)), "00000000641850cb");  // spec_time
}

TEST(CosignatureTest, KnownKeyCosignsTheSpecCheckpointAsAnIndependentImplementationDoes) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  EXPECT_EQ(cosigner.vkey(), known_vkey);
  const NoteSignature signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  EXPECT_EQ(format_signature_line(signature), known_line);
  auto timestamp = verify_cosignature(cosigner, spec_body, signature);
  ASSERT_TRUE(timestamp) << timestamp.error().describe();
  EXPECT_EQ(*timestamp, spec_time);

  auto from_vkey = CosignerKey::from_vkey(known_vkey);
  ASSERT_TRUE(from_vkey) << from_vkey.error().describe();
  auto note = parse_note(std::string(spec_body) + "\n" + std::string(known_line) + "\n");
  ASSERT_TRUE(note);
  EXPECT_EQ(verify_cosignature(*from_vkey, *note).value_or(0), spec_time);
}

TEST(CosignatureTest, CosignatureRoundTripsNextToTheLogSignature) {
  testing::SeededRng rng(21);
  auto log = NoteSigner::create("bulwark.invalid/kt/log", crypto::ed25519_keypair(rng).secret_key);
  ASSERT_TRUE(log);
  const crypto::Ed25519KeyPair witness = crypto::ed25519_keypair(rng);
  const std::string body = "bulwark.invalid/kt/log\n7\n" +
                           crypto::base64_encode(Bytes(32, std::byte{7})) + "\nextension\n";
  const Note signed_checkpoint{
      body, {log->sign(body), cosign(witness.secret_key, "w.bulwark.invalid/1", body, 1700000000)}};
  auto note = parse_note(format_note(signed_checkpoint));
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, signed_checkpoint);
  const CosignerKey cosigner = cosigner_of(witness.secret_key, "w.bulwark.invalid/1");
  EXPECT_EQ(verify_cosignature(cosigner, *note).value_or(0), 1700000000U);
  auto log_verifier = NoteVerifier::from_vkey(log->vkey());
  ASSERT_TRUE(log_verifier);
  EXPECT_TRUE(log_verifier->verify(*note));
}

TEST(CosignatureTest, CosignatureOverADifferentBodyFails) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  const NoteSignature signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  std::string other(spec_body);
  other[other.find("20852163")] = '3';
  EXPECT_EQ(verify_cosignature(cosigner, other, signature).error().code, Errc::auth_failed);
  // Extension lines are covered too.
  EXPECT_EQ(verify_cosignature(cosigner, std::string(spec_body) + "ext\n", signature).error().code,
            Errc::auth_failed);
}

TEST(CosignatureTest, CosignatureWithADifferentTimestampFails) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  NoteSignature signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  signature.signature[7] ^= std::byte{1};
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, signature).error().code, Errc::auth_failed);
}

TEST(CosignatureTest, TimestampAboveTwoToTheSixtyThreeMinusOneIsRefused) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  NoteSignature signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  signature.signature[0] = std::byte{0x80};
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, signature).error().code, Errc::auth_failed);
  const NoteSignature largest =
      cosign(key, "witness.example.com/w1", spec_body, cosignature_max_timestamp);
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, largest).value_or(0),
            cosignature_max_timestamp);
}

TEST(CosignatureTest, TruncatedOrExtendedCosignatureFails) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  NoteSignature signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  signature.signature.pop_back();
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, signature).error().code, Errc::auth_failed);
  signature.signature.resize(8);
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, signature).error().code, Errc::auth_failed);
  signature = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  signature.signature.push_back(std::byte{0});
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, signature).error().code, Errc::auth_failed);
}

TEST(CosignatureTest, CosignatureOfAnotherNameOrKeyIdIsNotThisCosigners) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  NoteSignature renamed = cosign(key, "witness.example.com/w2", spec_body, spec_time);
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, renamed).error().code, Errc::auth_failed);
  NoteSignature other_id = cosign(key, "witness.example.com/w1", spec_body, spec_time);
  other_id.key_id[0] ^= std::byte{1};
  EXPECT_EQ(verify_cosignature(cosigner, spec_body, other_id).error().code, Errc::auth_failed);
}

TEST(CosignatureTest, NoteSignatureAndCosignatureOfOneKeyAreNotInterchangeable) {
  auto signer = NoteSigner::create("witness.example.com/w1", known_key());
  ASSERT_TRUE(signer);
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  // A plain note signature: another key ID (type 0x01), so not a cosignature.
  Note plain{std::string(spec_body), {signer->sign(spec_body)}};
  EXPECT_EQ(verify_cosignature(cosigner, plain).error().code, Errc::auth_failed);
  // A cosignature is not a note signature either.
  auto verifier = NoteVerifier::create("witness.example.com/w1", key.public_key());
  ASSERT_TRUE(verifier);
  Note cosigned{std::string(spec_body), {cosign(key, "witness.example.com/w1", spec_body, 1)}};
  EXPECT_EQ(verifier->verify(cosigned).error().code, Errc::auth_failed);
}

TEST(CosignatureTest, NoteWithoutThisCosignersLineOrWithABadOneFails) {
  const crypto::Ed25519SecretKey key = known_key();
  const CosignerKey cosigner = cosigner_of(key, "witness.example.com/w1");
  auto spec = parse_note(spec_cosigned);  // its w1 is another key: ignored
  ASSERT_TRUE(spec);
  EXPECT_EQ(verify_cosignature(cosigner, *spec).error().code, Errc::auth_failed);
  Note note = *spec;
  note.signatures.push_back(cosign(key, "witness.example.com/w1", spec_body, 5));
  note.signatures.push_back(cosign(key, "witness.example.com/w1", spec_body, 9));
  EXPECT_EQ(verify_cosignature(cosigner, note).value_or(0), 9U);
  note.signatures.back().signature.back() ^= std::byte{1};
  EXPECT_EQ(verify_cosignature(cosigner, note).error().code, Errc::auth_failed);
}

TEST(CosignatureTest, CosignerVkeyRoundTrips) {
  auto parsed = parse_vkey(known_vkey);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, signature_type_cosignature_v1);
  auto cosigner = CosignerKey::from_vkey(known_vkey);
  ASSERT_TRUE(cosigner);
  EXPECT_EQ(cosigner->vkey(), known_vkey);
  EXPECT_EQ(to_hex(view_of(cosigner->key_id())), "7e6f4aaa");
  EXPECT_EQ(CosignerKey::create("a b", cosigner->public_key()).error().code,
            Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::kt
