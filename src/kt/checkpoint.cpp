#include "kt/checkpoint.h"

#include <algorithm>

#include "crypto/base64.h"
#include "kt/note.h"

namespace bulwark::kt {
namespace {

Error malformed(std::string what) {
  return Error{Errc::invalid_encoding, "checkpoint: " + std::move(what)};
}

// A line of a checkpoint: note text (so valid UTF-8, no control character) and non-empty.
bool is_valid_line(std::string_view line) {
  if (line.empty() || line.find('\n') != std::string_view::npos) return false;
  return check_note_text(std::string(line) + '\n').has_value();
}

// ASCII decimal without sign or leading zeros, at most checkpoint_max_size.
Result<std::uint64_t> parse_size(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return tl::unexpected(malformed("tree size is not a decimal number"));
  }
  if (text.size() > 1 && text.front() == '0') {
    return tl::unexpected(malformed("tree size has leading zeros"));
  }
  std::uint64_t size = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (size > (checkpoint_max_size - digit) / 10) {
      return tl::unexpected(malformed("tree size above 2^63 - 1"));
    }
    size = size * 10 + digit;
  }
  return size;
}

// Takes the next "\n"-terminated line off `text`.
Result<std::string_view> next_line(std::string_view& text, const char* name) {
  const std::size_t end = text.find('\n');
  if (end == std::string_view::npos) {
    return tl::unexpected(malformed(std::string(name) + " line missing or not ended by a newline"));
  }
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  if (line.empty()) return tl::unexpected(malformed(std::string(name) + " line is empty"));
  return line;
}

}  // namespace

std::string checkpoint_body(const Checkpoint& checkpoint) {
  if (!is_valid_line(checkpoint.origin)) contract_violation("kt::checkpoint_body: invalid origin");
  if (checkpoint.size > checkpoint_max_size) contract_violation("kt::checkpoint_body: size");
  std::string body = checkpoint.origin + '\n' + std::to_string(checkpoint.size) + '\n' +
                     crypto::base64_encode(view_of(checkpoint.root)) + '\n';
  for (const std::string& extension : checkpoint.extensions) {
    if (!is_valid_line(extension)) contract_violation("kt::checkpoint_body: invalid extension");
    body += extension;
    body += '\n';
  }
  return body;
}

Result<Checkpoint> parse_checkpoint_body(std::string_view text) {
  if (auto valid = check_note_text(text); !valid) {
    return tl::unexpected(Error{valid.error().code, "checkpoint: " + valid.error().context});
  }
  Checkpoint checkpoint;
  const std::string_view origin = BULWARK_TRY(next_line(text, "origin"));
  checkpoint.origin = std::string(origin);
  const std::string_view size = BULWARK_TRY(next_line(text, "tree size"));
  checkpoint.size = BULWARK_TRY(parse_size(size));
  const std::string_view root = BULWARK_TRY(next_line(text, "root hash"));
  auto root_bytes = crypto::base64_decode(root);
  if (!root_bytes) return tl::unexpected(malformed("root hash is not canonical base64"));
  if (root_bytes->size() != hash_bytes) {
    return fail(Errc::invalid_length, "checkpoint: root hash is not 32 bytes");
  }
  std::copy(root_bytes->begin(), root_bytes->end(), checkpoint.root.begin());
  while (!text.empty()) {
    const std::string_view extension = BULWARK_TRY(next_line(text, "extension"));
    checkpoint.extensions.emplace_back(extension);
  }
  return checkpoint;
}

}  // namespace bulwark::kt
