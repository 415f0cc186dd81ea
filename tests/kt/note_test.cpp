// Signed notes (kt/note.h) and their Ed25519 signatures (kt/note_ed25519.h): the known answers
// of the C2SP specs and of golang.org/x/mod/sumdb/note (the reference implementation), round
// trips, and every refusal the format asks for.
#include "kt/note.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "kt/note_ed25519.h"
#include "support/seeded_rng.h"

namespace bulwark::kt {
namespace {

using namespace std::string_view_literals;

// c2sp.org/signed-note §Verifier keys, Example (C2SP/C2SP@5ba5ee83 signed-note.md).
constexpr std::string_view spec_vkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr std::string_view spec_note =
    "This is an example message.\n"
    "\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKu"
    "wHjG1Yu72IneyaQM=\n";

// c2sp.org/signed-note, the opening example: a text with an empty line and non-ASCII UTF-8.
// Its key is not published, so it is a parsing vector only.
constexpr std::string_view spec_poem =
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU"
    "0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

// golang.org/x/mod sumdb/note/note_test.go (golang/mod@02c99138): keys, text and signatures.
constexpr std::string_view peter_skey_material = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view peter_vkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view enoch_vkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view go_text =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view peter_line =
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZ"
    "b6KE6RyyBwJnAM=\n";
constexpr std::string_view enoch_line =
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33W"
    "Wd1RvMc+QQ=\n";

std::string go_note(std::string_view lines) {
  return std::string(go_text) + "\n" + std::string(lines);
}

NoteVerifier verifier(std::string_view vkey) {
  auto verifier = NoteVerifier::from_vkey(vkey);
  if (!verifier) ADD_FAILURE() << verifier.error().describe();
  return std::move(*verifier);
}

NoteSigner signer(std::string name, std::uint64_t seed) {
  testing::SeededRng rng(seed);
  auto signer = NoteSigner::create(std::move(name), crypto::ed25519_keypair(rng).secret_key);
  if (!signer) ADD_FAILURE() << signer.error().describe();
  return std::move(*signer);
}

Errc parse_error(std::string_view encoded) {
  auto note = parse_note(encoded);
  EXPECT_FALSE(note.has_value()) << "accepted: " << encoded;
  return note ? Errc::internal : note.error().code;
}

TEST(NoteTest, SpecVerifierKeyVerifiesTheSpecExampleNote) {
  auto note = parse_note(spec_note);
  ASSERT_TRUE(note) << note.error().describe();
  EXPECT_EQ(note->text, "This is an example message.\n");
  ASSERT_EQ(note->signatures.size(), 1U);
  EXPECT_EQ(note->signatures[0].name, "example.com/foo");
  EXPECT_EQ(to_hex(view_of(note->signatures[0].key_id)), "530d903a");
  EXPECT_EQ(note->signatures[0].signature.size(), 64U);
  const NoteVerifier spec = verifier(spec_vkey);
  EXPECT_TRUE(spec.verify(*note));
  EXPECT_EQ(spec.vkey(), spec_vkey);
  EXPECT_EQ(format_note(*note), spec_note);
}

TEST(NoteTest, GoReferenceKeySignsTheGoReferenceNoteByteForByte) {
  auto material = crypto::base64_decode(peter_skey_material);
  ASSERT_TRUE(material);
  ASSERT_EQ(material->front(), signature_type_ed25519);
  auto key = crypto::Ed25519SecretKey::from_seed(ByteView(*material).subspan(1));
  ASSERT_TRUE(key);
  auto peter = NoteSigner::create("PeterNeumann", std::move(*key));
  ASSERT_TRUE(peter);
  EXPECT_EQ(peter->vkey(), peter_vkey);
  EXPECT_EQ(to_hex(view_of(peter->key_id())), "c74f20a3");
  const Note note{std::string(go_text), {peter->sign(go_text)}};
  EXPECT_EQ(format_note(note), go_note(peter_line));
}

TEST(NoteTest, GoReferenceNoteVerifiesUnderEachOfItsKeys) {
  const std::string encoded = go_note(std::string(peter_line) + std::string(enoch_line));
  auto note = parse_note(encoded);
  ASSERT_TRUE(note) << note.error().describe();
  EXPECT_EQ(note->text, go_text);
  ASSERT_EQ(note->signatures.size(), 2U);
  EXPECT_EQ(to_hex(view_of(note->signatures[1].key_id)), "af0cfe78");
  EXPECT_TRUE(verifier(peter_vkey).verify(*note));
  EXPECT_TRUE(verifier(enoch_vkey).verify(*note));
  EXPECT_EQ(format_note(*note), encoded);
}

TEST(NoteTest, SpecPoemSplitsAtTheLastEmptyLine) {
  auto note = parse_note(spec_poem);
  ASSERT_TRUE(note) << note.error().describe();
  EXPECT_EQ(note->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\n"
            "ed è subito sera.\n");
  ASSERT_EQ(note->signatures.size(), 1U);
  EXPECT_EQ(note->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(format_note(*note), spec_poem);
}

TEST(NoteTest, KeyIdIsTheFirstFourBytesOfTheSpecHash) {
  const NoteVerifier peter = verifier(peter_vkey);
  EXPECT_EQ(to_hex(view_of(note_key_id("PeterNeumann", signature_type_ed25519,
                                       peter.public_key().bytes()))),
            "c74f20a3");
  // The type byte is part of the hash: the same key and name as a cosigner has another ID.
  EXPECT_NE(note_key_id("PeterNeumann", signature_type_cosignature_v1, peter.public_key().bytes()),
            peter.key_id());
  EXPECT_NE(note_key_id("PeterNeumann2", signature_type_ed25519, peter.public_key().bytes()),
            peter.key_id());
}

TEST(NoteTest, SignedNoteRoundTripsThroughFormatAndParse) {
  const NoteSigner log = signer("log.bulwark.invalid/kt", 1);
  const NoteSigner other = signer("witness.bulwark.invalid/w1", 2);
  const std::string text = "line one\n\nline three, after an empty line\n";
  const Note note{text, {log.sign(text), other.sign(text)}};
  const std::string encoded = format_note(note);
  auto parsed = parse_note(encoded);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(*parsed, note);
  auto log_verifier = NoteVerifier::from_vkey(log.vkey());
  ASSERT_TRUE(log_verifier);
  EXPECT_TRUE(log_verifier->verify(*parsed));
}

TEST(NoteTest, UnknownAndDuplicateSignatureLinesAreKeptInOrder) {
  const std::string encoded = go_note(std::string(enoch_line) + std::string(peter_line) +
                                      std::string(enoch_line));
  auto note = parse_note(encoded);
  ASSERT_TRUE(note);
  ASSERT_EQ(note->signatures.size(), 3U);
  EXPECT_EQ(note->signatures[0], note->signatures[2]);
  EXPECT_EQ(note->signatures[1].name, "PeterNeumann");
  EXPECT_TRUE(verifier(peter_vkey).verify(*note));
  EXPECT_EQ(format_note(*note), encoded);
}

TEST(NoteTest, MalformedNotesOfTheGoReferenceAreRefused) {
  const std::string text(go_text);
  const std::string peter(peter_line);
  EXPECT_EQ(parse_error(text), Errc::invalid_encoding);                      // no blank line
  EXPECT_EQ(parse_error(text + "\n"), Errc::invalid_encoding);               // no signature
  EXPECT_EQ(parse_error(text + "\n" + peter.substr(0, peter.size() - 1)),  // unterminated
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error("\x01" + text + "\n" + peter), Errc::invalid_encoding);
  EXPECT_EQ(parse_error("\xff" + text + "\n" + peter), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
                               "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "\n" + peter + "Unexpected line.\n"), Errc::invalid_encoding);
}

TEST(NoteTest, NoteWithoutTheSeparatingBlankLineIsRefused) {
  EXPECT_EQ(parse_error(std::string(go_text) + std::string(peter_line)), Errc::invalid_encoding);
  // A blank line after the signatures is not a separator before them.
  EXPECT_EQ(parse_error(std::string(go_text) + std::string(peter_line) + "\n"),
            Errc::invalid_encoding);
}

TEST(NoteTest, TextNotEndingInANewlineIsRefused) {
  EXPECT_EQ(check_note_text("no newline").error().code, Errc::invalid_encoding);
  EXPECT_EQ(check_note_text("").error().code, Errc::invalid_encoding);
  EXPECT_TRUE(check_note_text("newline\n"));
  // On the wire such a text has no blank line before its signatures.
  EXPECT_EQ(parse_error("no newline\n" + std::string(peter_line)), Errc::invalid_encoding);
}

TEST(NoteTest, SignatureLineNeedsAnEmDashAndASpace) {
  const std::string text = std::string(go_text) + "\n";
  const std::string blob =
      std::string(peter_line).substr(std::string_view("— PeterNeumann ").size());
  EXPECT_EQ(parse_error(text + "- PeterNeumann " + blob), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "—PeterNeumann " + blob), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "— PeterNeumann  " + blob), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "—  " + blob), Errc::invalid_encoding);  // empty name
  EXPECT_EQ(parse_error(text + "— PeterNeumann\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "— PeterNeumann \n"), Errc::invalid_encoding);
}

TEST(NoteTest, BadOrNonCanonicalBase64IsRefused) {
  const std::string text = std::string(go_text) + "\n— PeterNeumann ";
  const std::string good(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJn"
      "AM=");
  ASSERT_TRUE(parse_note(text + good + "\n"));
  EXPECT_EQ(parse_error(text + good.substr(0, good.size() - 1) + "\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + good + "=\n"), Errc::invalid_encoding);
  // "AN=" decodes like "AM=" but with non-zero padding bits.
  EXPECT_EQ(parse_error(text + good.substr(0, good.size() - 3) + "AN=\n"), Errc::invalid_encoding);
  EXPECT_EQ(parse_error(text + "x08go_ZJ\n"), Errc::invalid_encoding);  // URL alphabet
  EXPECT_EQ(parse_error(text + "!!!!\n"), Errc::invalid_encoding);
}

TEST(NoteTest, SignatureOfAKeyIdAloneIsRefused) {
  const std::string text = std::string(go_text) + "\n— PeterNeumann ";
  EXPECT_EQ(parse_error(text + "x08gow==\n"), Errc::invalid_encoding);  // 4 bytes
  EXPECT_TRUE(parse_note(text + "x08go/8=\n"));                         // 5 bytes
}

TEST(NoteTest, InvalidUtf8IsRefused) {
  const std::string signatures = "\n" + std::string(peter_line);
  for (const std::string bad : {"\xff\n", "\xc0\xaf\n", "\xed\xa0\x80\n", "\xe2\x80\n",
                                "\xf4\x90\x80\x80\n", "\x80\n", "\xe0\x80\xaf\n"}) {
    EXPECT_EQ(parse_error(bad + signatures), Errc::invalid_encoding) << to_hex(as_bytes(bad));
    EXPECT_FALSE(check_note_text(bad));
  }
  EXPECT_TRUE(parse_note("\xf4\x8f\xbf\xbf \xe2\x80\x94 \xc3\xa8\n" + signatures));
}

// The UTF-8 encoding of any code point, surrogates included (CESU-style), for the sweep below.
std::string encode_utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

TEST(NoteTest, EveryScalarValueButControlsIsTextAndNoSurrogateIs) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    const bool expected = !surrogate && (cp >= 0x20 || cp == '\n');
    ASSERT_EQ(check_note_text(encode_utf8(cp) + "\n").has_value(), expected)
        << static_cast<std::uint32_t>(cp);
  }
}

TEST(NoteTest, ControlCharactersOtherThanNewlineAreRefused) {
  const std::string signatures = "\n" + std::string(peter_line);
  for (const std::string_view bad : {"a\rb\n"sv, "a\tb\n"sv, "a\0b\n"sv, "a\x1f\n"sv}) {
    EXPECT_EQ(parse_error(std::string(bad) + signatures), Errc::invalid_encoding);
  }
  // The spec forbids only those below U+0020: DEL and C1 controls are text.
  EXPECT_TRUE(parse_note("a\x7f\xc2\x85\n" + signatures));
}

TEST(NoteTest, KeyNamesWithoutSpacesOrPlusAreValid) {
  EXPECT_TRUE(is_valid_key_name("example.com/foo"));
  EXPECT_TRUE(is_valid_key_name("sigsum.org/v1/é—"));
  for (const std::string_view bad :
       {"", "a b", "a+b", "a\tb", "a\xc2\xa0" "b", "a\xe3\x80\x80" "b", "a\xe2\x80\x83" "b",
        "a\xe2\x80\xa8" "b", "a\xc2\x85" "b", "a\xff"}) {
    EXPECT_FALSE(is_valid_key_name(bad)) << bad;
  }
  EXPECT_EQ(parse_error(std::string(go_text) + "\n— a\xc2\xa0" "b x08go/8=\n"),
            Errc::invalid_encoding);
  EXPECT_EQ(parse_error(std::string(go_text) + "\n— a+b x08go/8=\n"), Errc::invalid_encoding);
}

TEST(NoteTest, OversizeNoteIsRefused) {
  const std::string signatures = "\n" + std::string(peter_line);
  const std::string fits(note_max_bytes - signatures.size(), 'a');
  EXPECT_TRUE(parse_note(fits.substr(0, fits.size() - 1) + "\n" + signatures));
  EXPECT_EQ(parse_error(fits + "\n" + signatures), Errc::invalid_length);
  EXPECT_EQ(check_note_text(std::string(note_max_bytes, '\n') + "\n").error().code,
            Errc::invalid_length);
}

TEST(NoteTest, MoreThanTheMaximumNumberOfSignaturesIsRefused) {
  std::string lines;
  for (std::size_t i = 0; i < note_max_signatures; ++i) lines += peter_line;
  auto note = parse_note(go_note(lines));
  ASSERT_TRUE(note) << note.error().describe();
  EXPECT_EQ(note->signatures.size(), note_max_signatures);
  EXPECT_TRUE(verifier(peter_vkey).verify(*note));
  EXPECT_EQ(parse_error(go_note(lines + std::string(peter_line))), Errc::invalid_length);
}

TEST(NoteVerifierTest, NoteWithoutThisKeysSignatureIsRefused) {
  auto note = parse_note(go_note(enoch_line));
  ASSERT_TRUE(note);
  EXPECT_EQ(verifier(peter_vkey).verify(*note).error().code, Errc::auth_failed);
}

TEST(NoteVerifierTest, SignatureUnderAnotherKeyIdIsIgnored) {
  auto note = parse_note(go_note(peter_line));
  ASSERT_TRUE(note);
  note->signatures[0].key_id[3] ^= std::byte{1};
  EXPECT_EQ(verifier(peter_vkey).verify(*note).error().code, Errc::auth_failed);
}

TEST(NoteVerifierTest, SignatureByAnotherKeyWithTheSameNameIsIgnored) {
  const NoteSigner impostor = signer("PeterNeumann", 7);
  const NoteSignature forged = impostor.sign(go_text);
  auto note = parse_note(go_note(format_signature_line(forged) + "\n"));
  ASSERT_TRUE(note);
  EXPECT_EQ(verifier(peter_vkey).verify(*note).error().code, Errc::auth_failed);
  // Next to the real signature it is another key's line, and ignored.
  note = parse_note(go_note(format_signature_line(forged) + "\n" + std::string(peter_line)));
  ASSERT_TRUE(note);
  EXPECT_TRUE(verifier(peter_vkey).verify(*note));
}

TEST(NoteVerifierTest, InvalidSignatureUnderThisKeyRejectsTheNote) {
  auto note = parse_note(go_note(std::string(peter_line) + std::string(peter_line)));
  ASSERT_TRUE(note);
  const NoteVerifier peter = verifier(peter_vkey);
  ASSERT_TRUE(peter.verify(*note));
  note->signatures[1].signature[10] ^= std::byte{0x40};
  EXPECT_EQ(peter.verify(*note).error().code, Errc::auth_failed);
}

TEST(NoteVerifierTest, TruncatedOrExtendedSignatureFails) {
  auto note = parse_note(go_note(peter_line));
  ASSERT_TRUE(note);
  const NoteVerifier peter = verifier(peter_vkey);
  Note truncated = *note;
  truncated.signatures[0].signature.pop_back();
  EXPECT_EQ(peter.verify(truncated).error().code, Errc::auth_failed);
  Note extended = *note;
  extended.signatures[0].signature.push_back(std::byte{0});
  EXPECT_EQ(peter.verify(extended).error().code, Errc::auth_failed);
}

TEST(NoteVerifierTest, ChangedTextFails) {
  auto note = parse_note(go_note(peter_line));
  ASSERT_TRUE(note);
  note->text[0] = 'i';
  EXPECT_EQ(verifier(peter_vkey).verify(*note).error().code, Errc::auth_failed);
}

TEST(NoteVerifierTest, InvalidKeyNamesAreRefused) {
  testing::SeededRng rng(3);
  EXPECT_EQ(NoteSigner::create("a b", crypto::ed25519_keypair(rng).secret_key).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(NoteVerifier::create("a+b", crypto::ed25519_keypair(rng).public_key).error().code,
            Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::kt
