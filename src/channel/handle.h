// Channel handles: the public, unique name in /s/HANDLE and `bulwark channel ... HANDLE`.
//
// 5-32 characters of [a-z0-9_], starting with a letter, not ending with '_' and without "__"
// (so that a handle reads unambiguously in a URL or aloud); compared in lower case. Names an
// operator or a phishing channel could pass off as official are reserved.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::channel {

inline constexpr std::size_t min_handle_length = 5;
inline constexpr std::size_t max_handle_length = 32;

// The canonical (lower-case) handle, or Errc::invalid_argument saying what is wrong. A
// leading '@' is accepted and dropped.
[[nodiscard]] Result<std::string> canonical_handle(std::string_view handle);

// True for a canonical handle of the right shape that is not reserved.
[[nodiscard]] bool is_valid_handle(std::string_view canonical) noexcept;

[[nodiscard]] bool is_reserved_handle(std::string_view canonical) noexcept;

}  // namespace bulwark::channel
