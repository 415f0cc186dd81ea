// Limits of what a channel entry may say. Text is UTF-8, counted in Unicode code points (what
// a reader sees as characters, near enough), and may not hold control characters other than
// newline and tab: they have no business in a post and some rewrite what is shown around them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace bulwark::channel {

inline constexpr std::size_t max_post_chars = 4096;
inline constexpr std::size_t max_title_chars = 128;
inline constexpr std::size_t max_description_chars = 1024;

// Errc::invalid_argument naming `what` unless `text` is well-formed UTF-8 (shortest forms, no
// surrogates) of 1..max_chars code points (0..max_chars when `may_be_empty`) without control
// characters other than '\n' and '\t'.
[[nodiscard]] Result<void> check_text(std::string_view text, std::size_t max_chars,
                                      std::string_view what, bool may_be_empty = false);

// Decodes the code point at byte `i` of `s` (shortest form, no surrogates, at most U+10FFFF)
// into `cp`; returns its length in bytes, or 0 when the bytes there are not one.
[[nodiscard]] std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept;

// The number of code points of well-formed UTF-8 (nullopt-free: callers check first).
[[nodiscard]] std::size_t code_points(std::string_view utf8) noexcept;

}  // namespace bulwark::channel
