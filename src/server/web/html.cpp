#include "server/web/html.h"

#include <cstdint>

#include "channel/text.h"

namespace bulwark::server::web {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

bool is_unshowable(std::uint32_t cp) noexcept {
  if (cp == '\t' || cp == '\n') return false;
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF;
}

std::string_view entity_for(char c) noexcept {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return {};
  }
}

// Walks `text` one code point at a time, appending each as valid, escaped output; `on_newline`
// decides what a '\n' becomes.
template <class OnNewline>
void append_escaped(std::string& out, std::string_view text, OnNewline on_newline) {
  out.reserve(out.size() + text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = channel::decode_utf8(text, i, cp);
    if (len == 0) {  // one bad byte at a time, so that what follows it still shows
      out += replacement_character;
      ++i;
      continue;
    }
    if (cp == '\n') {
      on_newline(out);
    } else if (is_unshowable(cp)) {
      out += replacement_character;
    } else if (const std::string_view entity = entity_for(text[i]); len == 1 && !entity.empty()) {
      out += entity;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  append_escaped(out, text, [](std::string& o) { o += '\n'; });
}

std::string html_escape(std::string_view text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

void append_html_text_with_breaks(std::string& out, std::string_view text) {
  append_escaped(out, text, [](std::string& o) { o += "<br>"; });
}

// The same characters and entities serve XML: &#39; is a character reference, valid in both.
void append_xml_escaped(std::string& out, std::string_view text) { append_html_escaped(out, text); }

std::string xml_escape(std::string_view text) { return html_escape(text); }

std::string first_line_excerpt(std::string_view text, std::size_t max_code_points) {
  std::string_view line;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) break;
    line = {};
  }
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  line.remove_prefix(first);
  line = line.substr(0, line.find_last_not_of(" \t") + 1);
  std::size_t count = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    // A code point starts at every byte that is not a continuation byte. The byte bound keeps
    // a run of stray continuation bytes (malformed, never counted) short too.
    const bool starts = (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    if (starts && count++ == max_code_points)
      return std::string(line.substr(0, i)) + "\xE2\x80\xA6";
    if (!starts && i >= 4 * max_code_points) return std::string(line.substr(0, i)) + "\xE2\x80\xA6";
  }
  return std::string(line);
}

}  // namespace bulwark::server::web
