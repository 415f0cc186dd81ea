#include "channel/text.h"

#include <cstdint>
#include <string>

namespace bulwark::channel {
namespace {

bool is_forbidden_control(std::uint32_t cp) noexcept {
  if (cp == '\n' || cp == '\t') return false;
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

}  // namespace

std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::size_t code_points(std::string_view utf8) noexcept {
  std::size_t count = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

Result<void> check_text(std::string_view text, std::size_t max_chars, std::string_view what,
                        bool may_be_empty) {
  if (text.empty() && !may_be_empty) return fail(Errc::invalid_argument, std::string(what) + " is empty");
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) return fail(Errc::invalid_argument, std::string(what) + " is not valid UTF-8");
    if (is_forbidden_control(cp))
      return fail(Errc::invalid_argument, std::string(what) + " holds a control character");
    if (++count > max_chars)
      return fail(Errc::invalid_argument,
                  std::string(what) + " is longer than " + std::to_string(max_chars) + " characters");
    i += len;
  }
  return {};
}

}  // namespace bulwark::channel
