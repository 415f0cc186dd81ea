// Byte strings: the vocabulary types every module passes around.
//
// Inputs are ByteView (a non-owning span), outputs are Bytes (an owning vector), both of
// std::byte so that bytes never silently convert to or from integers or characters.
// Secret bytes are never Bytes: they are SecretBytes (common/secret_bytes.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;
using MutableByteView = std::span<std::byte>;

// Lower-case hex of `bytes`.
[[nodiscard]] std::string to_hex(ByteView bytes);

// Decodes hex (either case, no separators). Odd length or a non-hex digit is an error.
[[nodiscard]] Result<Bytes> from_hex(std::string_view hex);

// The bytes of a string, for ASCII labels and test inputs.
[[nodiscard]] inline ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

[[nodiscard]] inline Bytes to_bytes(ByteView view) { return {view.begin(), view.end()}; }

template <std::size_t N>
[[nodiscard]] ByteView view_of(const std::array<std::byte, N>& array) noexcept {
  return {array.data(), array.size()};
}

// Concatenates any number of views into a new byte string.
[[nodiscard]] Bytes concat(std::initializer_list<ByteView> parts);

// Copies `view` into a fixed-size array; requires view.size() == N.
template <std::size_t N>
[[nodiscard]] Result<std::array<std::byte, N>> to_array(ByteView view) {
  if (view.size() != N) return fail(Errc::invalid_length, "expected " + std::to_string(N) + " bytes");
  std::array<std::byte, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = view[i];
  return out;
}

}  // namespace bulwark
