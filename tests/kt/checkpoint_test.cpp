// Checkpoints (kt/checkpoint.h): the tlog-checkpoint spec's example, round trips with
// extension lines, and refusal of every malformed size, root and line.
#include "kt/checkpoint.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "kt/note.h"
#include "kt/note_ed25519.h"
#include "support/seeded_rng.h"

namespace bulwark::kt {
namespace {

// c2sp.org/tlog-checkpoint, the opening example (C2SP/C2SP@5ba5ee83). Its log key is not
// published: the signature line is a parsing vector only.
constexpr std::string_view spec_body =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::string_view spec_signature =
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv"
    "2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
constexpr std::string_view spec_root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

std::string body(std::string_view size, std::string_view root = spec_root) {
  return "example.com/behind-the-sofa\n" + std::string(size) + "\n" + std::string(root) + "\n";
}

Errc parse_error(std::string_view text) {
  auto checkpoint = parse_checkpoint_body(text);
  EXPECT_FALSE(checkpoint.has_value()) << "accepted: " << text;
  return checkpoint ? Errc::internal : checkpoint.error().code;
}

std::string base64_of(std::size_t bytes) {
  return crypto::base64_encode(Bytes(bytes, std::byte{0xab}));
}

TEST(CheckpointTest, SpecExampleParsesAndFormatsBack) {
  auto note = parse_note(std::string(spec_body) + "\n" + std::string(spec_signature));
  ASSERT_TRUE(note) << note.error().describe();
  auto checkpoint = parse_checkpoint_body(note->text);
  ASSERT_TRUE(checkpoint) << checkpoint.error().describe();
  EXPECT_EQ(checkpoint->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(checkpoint->size, 20852163U);
  EXPECT_EQ(crypto::base64_encode(view_of(checkpoint->root)), spec_root);
  EXPECT_TRUE(checkpoint->extensions.empty());
  EXPECT_EQ(checkpoint_body(*checkpoint), spec_body);
  EXPECT_EQ(note->signatures[0].name, checkpoint->origin);
}

TEST(CheckpointTest, ExtensionLinesRoundTrip) {
  const std::string text = std::string(spec_body) + "first extension\nsecond: é\n";
  auto checkpoint = parse_checkpoint_body(text);
  ASSERT_TRUE(checkpoint) << checkpoint.error().describe();
  EXPECT_EQ(checkpoint->extensions, (std::vector<std::string>{"first extension", "second: é"}));
  EXPECT_EQ(checkpoint_body(*checkpoint), text);
}

TEST(CheckpointTest, EmptyAndLargestTreeSizesAreAccepted) {
  auto empty = parse_checkpoint_body(body("0"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size, 0U);
  auto largest = parse_checkpoint_body(body("9223372036854775807"));
  ASSERT_TRUE(largest);
  EXPECT_EQ(largest->size, checkpoint_max_size);
  EXPECT_EQ(checkpoint_body(*largest), body("9223372036854775807"));
}

TEST(CheckpointTest, SizeWithLeadingZerosIsRefused) {
  EXPECT_EQ(parse_error(body("020852163")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("00")), Errc::invalid_encoding);
}

TEST(CheckpointTest, NegativeOrSignedSizeIsRefused) {
  EXPECT_EQ(parse_error(body("-1")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("+1")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("-0")), Errc::invalid_encoding);
}

TEST(CheckpointTest, SizeAboveTwoToTheSixtyThreeMinusOneIsRefused) {
  EXPECT_EQ(parse_error(body("9223372036854775808")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("18446744073709551615")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("18446744073709551616")), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body(std::string(100, '9'))), Errc::invalid_encoding);
}

TEST(CheckpointTest, SizeThatIsNotPlainDecimalIsRefused) {
  for (const std::string_view size : {"", " 1", "1 ", "0x10", "1e3", "12a", "１"}) {
    EXPECT_EQ(parse_error(body(size)), Errc::invalid_encoding) << size;
  }
}

TEST(CheckpointTest, RootThatIsNotThirtyTwoBytesIsRefused) {
  EXPECT_TRUE(parse_checkpoint_body(body("1", base64_of(32))));
  EXPECT_EQ(parse_error(body("1", base64_of(31))), Errc::invalid_length);
  EXPECT_EQ(parse_error(body("1", base64_of(33))), Errc::invalid_length);
  EXPECT_EQ(parse_error(body("1", "")), Errc::invalid_encoding);
}

TEST(CheckpointTest, RootThatIsNotCanonicalBase64IsRefused) {
  // "q2J=" decodes to the bytes of "q2I=", with non-zero padding bits.
  EXPECT_EQ(parse_error(body("1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=")),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I")),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("1", "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=")),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(body("1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I= ")),
            Errc::invalid_encoding);
}

TEST(CheckpointTest, MissingOrEmptyLinesAreRefused) {
  EXPECT_EQ(parse_error(""), Errc::invalid_encoding);
  EXPECT_EQ(parse_error("example.com/log\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error("example.com/log\n5\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error("\n5\n" + std::string(spec_root) + "\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error("example.com/log\n\n" + std::string(spec_root) + "\n"),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(std::string(spec_body) + "\n"), Errc::invalid_encoding);  // empty ext.
  EXPECT_EQ(parse_error(std::string(spec_body) + "ext\n\nmore\n"), Errc::invalid_encoding);
}

TEST(CheckpointTest, LineNotEndedByANewlineIsRefused) {
  const std::string text(spec_body);
  EXPECT_EQ(parse_error(text.substr(0, text.size() - 1)), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "extension"), Errc::invalid_encoding);
}

TEST(CheckpointTest, TextThatIsNotNoteTextIsRefused) {
  EXPECT_EQ(parse_error("example.com/\x01log\n5\n" + std::string(spec_root) + "\n"),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error("example.com/log\r\n5\n" + std::string(spec_root) + "\n"),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(std::string(spec_body) + "\xff\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(std::string(spec_body) + std::string(note_max_bytes, 'x') + "\n"),
            Errc::invalid_length);
}

TEST(CheckpointTest, LogSignsACheckpointThatAWitnessVerifiesAndReads) {
  testing::SeededRng rng(11);
  auto log = NoteSigner::create("bulwark.invalid/kt/log", crypto::ed25519_keypair(rng).secret_key);
  ASSERT_TRUE(log);
  Checkpoint checkpoint{"bulwark.invalid/kt/log", 12345, {}, {}};
  for (std::size_t i = 0; i < checkpoint.root.size(); ++i) {
    checkpoint.root[i] = static_cast<std::byte>(i * 7);
  }
  const std::string text = checkpoint_body(checkpoint);
  const std::string encoded = format_note(Note{text, {log->sign(text)}});

  auto verifier = NoteVerifier::from_vkey(log->vkey());
  ASSERT_TRUE(verifier);
  auto note = parse_note(encoded);
  ASSERT_TRUE(note);
  ASSERT_TRUE(verifier->verify(*note));
  auto read = parse_checkpoint_body(note->text);
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_EQ(*read, checkpoint);
}

}  // namespace
}  // namespace bulwark::kt
