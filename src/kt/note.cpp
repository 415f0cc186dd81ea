#include "kt/note.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "crypto/base64.h"
#include "crypto/hash.h"

namespace bulwark::kt {
namespace {

constexpr std::string_view signature_prefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view separator = "\n\n";

Error malformed(std::string what) {
  return Error{Errc::invalid_encoding, "signed note: " + std::move(what)};
}

// Decodes the UTF-8 sequence at text[pos], advancing pos; nullopt for anything RFC 3629
// forbids (stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF).
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  // The sequence length, the lead byte's payload bits and the least code point that needs
  // that length (anything smaller is an overlong form).
  const std::size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3
                             : (lead & 0xF8) == 0xF0 ? 4 : 0;
  if (length == 0 || text.size() - pos < length) return std::nullopt;
  char32_t cp = lead & (0x7F >> length);
  const char32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += length;
  return cp;
}

// Unicode White_Space (what Go's unicode.IsSpace, and so the reference implementation, tests).
bool is_unicode_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Valid UTF-8 with no control character below U+0020 but "\n" (signed-note §Format).
Result<void> check_characters(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<char32_t> cp = next_code_point(text, pos);
    if (!cp) return fail(Errc::invalid_encoding, "signed note: not valid UTF-8");
    if (*cp < 0x20 && *cp != '\n') {
      return fail(Errc::invalid_encoding, "signed note: control character");
    }
  }
  return {};
}

// A note text but for its length (formatting has no length limit: see format_note).
Result<void> check_text_form(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return fail(Errc::invalid_encoding, "signed note: text does not end in a newline");
  }
  return check_characters(text);
}

Result<NoteSignature> parse_signature_line(std::string_view line) {
  if (!line.starts_with(signature_prefix)) {
    return tl::unexpected(malformed("signature line does not start with an em dash and space"));
  }
  line.remove_prefix(signature_prefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return tl::unexpected(malformed("signature line has no space after the key name"));
  }
  NoteSignature signature;
  signature.name = std::string(line.substr(0, space));
  if (!is_valid_key_name(signature.name)) return tl::unexpected(malformed("invalid key name"));
  auto blob = crypto::base64_decode(line.substr(space + 1));
  if (!blob) return tl::unexpected(malformed("signature is not canonical base64"));
  if (blob->size() <= key_id_bytes) {
    return tl::unexpected(malformed("signature shorter than a key ID and one byte"));
  }
  std::copy_n(blob->begin(), key_id_bytes, signature.key_id.begin());
  signature.signature.assign(blob->begin() + key_id_bytes, blob->end());
  return signature;
}

}  // namespace

KeyId note_key_id(std::string_view name, std::byte type, ByteView public_key) {
  const std::byte newline{'\n'};
  const crypto::Sha256Digest digest =
      crypto::sha256({as_bytes(name), ByteView(&newline, 1), ByteView(&type, 1), public_key});
  KeyId id{};
  std::copy_n(digest.begin(), key_id_bytes, id.begin());
  return id;
}

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  std::size_t pos = 0;
  while (pos < name.size()) {
    const std::optional<char32_t> cp = next_code_point(name, pos);
    if (!cp || *cp < 0x20 || *cp == '+' || is_unicode_space(*cp)) return false;
  }
  return true;
}

Result<void> check_note_text(std::string_view text) {
  if (text.size() > note_max_bytes) return fail(Errc::invalid_length, "signed note: text too long");
  return check_text_form(text);
}

Result<Note> parse_note(std::string_view encoded) {
  if (encoded.size() > note_max_bytes) {
    return fail(Errc::invalid_length,
                "signed note: longer than " + std::to_string(note_max_bytes) + " bytes");
  }
  BULWARK_TRY(check_characters(encoded));
  const std::size_t split = encoded.rfind(separator);
  if (split == std::string_view::npos) {
    return tl::unexpected(malformed("no empty line before the signatures"));
  }
  Note note;
  note.text = std::string(encoded.substr(0, split + 1));
  std::string_view lines = encoded.substr(split + separator.size());
  if (lines.empty()) return tl::unexpected(malformed("no signature lines"));
  if (lines.back() != '\n') return tl::unexpected(malformed("last line does not end in a newline"));
  while (!lines.empty()) {
    if (note.signatures.size() == note_max_signatures) {
      return fail(Errc::invalid_length, "signed note: more than " +
                                            std::to_string(note_max_signatures) + " signatures");
    }
    const std::size_t end = lines.find('\n');  // found: `lines` ends in "\n"
    NoteSignature signature = BULWARK_TRY(parse_signature_line(lines.substr(0, end)));
    note.signatures.push_back(std::move(signature));
    lines.remove_prefix(end + 1);
  }
  return note;
}

std::string format_signature_line(const NoteSignature& signature) {
  if (!is_valid_key_name(signature.name)) contract_violation("kt::format_note: invalid key name");
  if (signature.signature.empty()) contract_violation("kt::format_note: empty signature");
  std::string line(signature_prefix);
  line += signature.name;
  line += ' ';
  line += crypto::base64_encode(concat({view_of(signature.key_id), signature.signature}));
  return line;
}

std::string format_note(const Note& note) {
  if (!check_text_form(note.text)) contract_violation("kt::format_note: invalid note text");
  if (note.signatures.empty()) contract_violation("kt::format_note: a note without signatures");
  std::string out = note.text;
  out += '\n';
  for (const NoteSignature& signature : note.signatures) {
    out += format_signature_line(signature);
    out += '\n';
  }
  return out;
}

}  // namespace bulwark::kt
