// HMAC-SHA256 (RFC 2104, FIPS 198-1), on libsodium. Keys of any length are accepted, as the
// RFC specifies (longer than 64 bytes: hashed first).
//
// The tag is returned as a plain array because it is usually public; code that uses HMAC as a
// key derivation step (the Signal chain-key step) moves the result into SecretBytes.
// Check tags with verify_hmac_sha256 or constant_time_equal, never with memcmp.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>

#include "common/bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t hmac_sha256_bytes = 32;
using HmacSha256Tag = std::array<std::byte, hmac_sha256_bytes>;

// HMAC-SHA256(key, concatenation of parts).
[[nodiscard]] HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept;
[[nodiscard]] inline HmacSha256Tag hmac_sha256(ByteView key, ByteView data) noexcept {
  return hmac_sha256(key, {data});
}

// True when `tag` (which may be truncated, 1..32 bytes, as Signal truncates to 8) equals the
// same-length prefix of HMAC-SHA256(key, data). Constant time in the tag's contents.
[[nodiscard]] bool verify_hmac_sha256(ByteView key, std::initializer_list<ByteView> parts,
                                      ByteView tag) noexcept;

}  // namespace bulwark::crypto
