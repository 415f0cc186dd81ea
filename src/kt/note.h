// Signed notes, C2SP signed-note v1.0.0 (c2sp.org/signed-note, read at C2SP/C2SP@5ba5ee83):
// text signed by one or more keys, the envelope of checkpoints (kt/checkpoint.h) and of
// witness cosignatures (kt/cosignature.h).
//
//   <text, ending in "\n">
//   "\n"
//   "— " <key name> " " base64(key ID (4 bytes, big-endian) || signature) "\n"   (1 or more)
//
// The text is separated from the signatures by the last empty line of the note, so the text
// itself may contain empty lines. This file is the format only: no signature is verified here
// (kt/note_ed25519.h and kt/cosignature.h verify), and a parsed note's text must be ignored
// until one is.
//
// Invariants of a note parse_note accepts (format_note requires all but the two limits):
//  - at most note_max_bytes bytes and note_max_signatures signature lines (the spec asks for a
//    limit, and for at least 16 signatures to be accepted);
//  - valid UTF-8 and no ASCII control character but "\n" (signed-note §Format);
//  - text non-empty and ending in "\n";
//  - key names non-empty, without Unicode spaces or '+';
//  - signatures canonical padded base64 of at least 5 bytes (a key ID and one signature byte).
// So a note that parses formats back to exactly the bytes it was parsed from.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::kt {

// 64 KiB: the spec's 16 signatures must fit even when they are other parties' post-quantum
// cosignatures (an ML-DSA-44 line is about 3.3 KB), which we ignore but must still accept.
inline constexpr std::size_t note_max_bytes = 64 * 1024;
// As golang.org/x/mod/sumdb/note, the reference implementation.
inline constexpr std::size_t note_max_signatures = 100;

inline constexpr std::size_t key_id_bytes = 4;
using KeyId = std::array<std::byte, key_id_bytes>;

// Signature type identifier bytes (signed-note §Signature types) that Bulwark uses.
inline constexpr std::byte signature_type_ed25519{0x01};
inline constexpr std::byte signature_type_cosignature_v1{0x04};

// The key ID signed-note recommends and Ed25519 and cosignature/v1 keys must use:
// SHA-256(name || "\n" || type || public key)[:4].
[[nodiscard]] KeyId note_key_id(std::string_view name, std::byte type, ByteView public_key);

// A key name: non-empty valid UTF-8 without Unicode white space, '+' or control characters.
[[nodiscard]] bool is_valid_key_name(std::string_view name);

// Errc::invalid_encoding unless `text` can be a note's text: non-empty, ending in "\n",
// valid UTF-8, no control character but "\n", at most note_max_bytes bytes.
[[nodiscard]] Result<void> check_note_text(std::string_view text);

struct NoteSignature {
  std::string name;
  KeyId key_id{};
  Bytes signature;  // the signature proper, after the key ID

  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

struct Note {
  std::string text;  // including its final "\n", not the separating empty line
  std::vector<NoteSignature> signatures;

  friend bool operator==(const Note&, const Note&) = default;
};

// Splits a signed note into its text and signature lines, refusing anything the spec or the
// invariants above refuse (Errc::invalid_length when over a limit, Errc::invalid_encoding
// otherwise). Every signature line is kept, in order, even duplicates and unknown keys.
[[nodiscard]] Result<Note> parse_note(std::string_view encoded);

// The signed note's bytes. Requires at least one signature, a valid text (check_note_text but
// for its length), valid key names and non-empty signatures; contract_violation otherwise.
// The limits are not checked: they bound what a parser reads, not what a log may write.
[[nodiscard]] std::string format_note(const Note& note);

// One signature line without its final "\n": "— <name> <base64(key ID || signature)>".
// Requires a valid key name and a non-empty signature.
[[nodiscard]] std::string format_signature_line(const NoteSignature& signature);

}  // namespace bulwark::kt
