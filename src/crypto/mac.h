// HMAC-SHA256 (RFC 2104, FIPS 198-1), over OpenSSL's SHA-256. Keys of any length are
// accepted, as the RFC specifies (longer than 64 bytes: hashed first).
//
// The tag is returned as a plain array because it is usually public; code that uses HMAC as a
// key derivation step (the Signal chain-key step) moves the result into SecretBytes.
// Check tags with verify_hmac_sha256 or constant_time_equal, never with memcmp.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>

#include "common/bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t hmac_sha256_bytes = 32;
using HmacSha256Tag = std::array<std::byte, hmac_sha256_bytes>;

// HMAC-SHA256(key, concatenation of parts).
[[nodiscard]] HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept;
[[nodiscard]] inline HmacSha256Tag hmac_sha256(ByteView key, ByteView data) noexcept {
  return hmac_sha256(key, {data});
}

// One key for many messages (a server's franking stamps): the key's two padded blocks are
// hashed once, when the key is made, so each tag then costs two SHA-256 blocks fewer. Tags
// equal hmac_sha256's under the same key. The hashed blocks are as secret as the key and are
// wiped when it goes. Move-only; a moved-from key is empty and must not be used (contract
// violation).
class HmacSha256Key {
 public:
  explicit HmacSha256Key(ByteView key);
  ~HmacSha256Key();
  HmacSha256Key(HmacSha256Key&&) noexcept;
  HmacSha256Key& operator=(HmacSha256Key&&) noexcept;
  [[nodiscard]] HmacSha256Tag tag(std::initializer_list<ByteView> parts) const noexcept;

 private:
  struct Blocks;
  std::unique_ptr<Blocks> blocks_;
};

// The shortest truncation accepted: Signal's 8 bytes.
inline constexpr std::size_t hmac_sha256_min_tag_bytes = 8;

// True when `tag` is exactly `tag_bytes` long and equals the first `tag_bytes` bytes of
// HMAC-SHA256(key, concatenation of parts). Constant time in the tag's contents.
// `tag_bytes` is the protocol's constant (8 for Signal), never a length taken from the wire, so
// an attacker cannot shorten the tag; it must be 8..32 (otherwise: contract violation).
[[nodiscard]] bool verify_hmac_sha256(ByteView key, std::initializer_list<ByteView> parts,
                                      ByteView tag, std::size_t tag_bytes) noexcept;

}  // namespace bulwark::crypto
