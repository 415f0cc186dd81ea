#include "crypto/mac.h"

#include <algorithm>
#include <array>

#include "crypto/compare.h"
#include "crypto/detail/sha256_stream.h"
#include "crypto/detail/sodium.h"
#include "crypto/hash.h"

namespace bulwark::crypto {

// RFC 2104 over OpenSSL's SHA-256 (the CPU's SHA extensions): about 3x libsodium's portable
// SHA-256 on the short inputs of message MACs, HKDF and franking stamps.
HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept {
  constexpr std::size_t block_bytes = 64;
  std::array<std::byte, block_bytes> padded{};  // the key, hashed first if over a block
  if (key.size() > block_bytes) {
    Sha256Digest hashed = sha256(key);  // as good as the key itself: wiped below
    std::copy(hashed.begin(), hashed.end(), padded.begin());
    sodium_memzero(hashed.data(), hashed.size());
  } else {
    std::copy(key.begin(), key.end(), padded.begin());
  }
  std::array<std::byte, block_bytes> pad{};
  Sha256Digest inner_digest{};
  {  // Streams share this thread's digest context: the inner one ends before the outer starts.
    for (std::size_t i = 0; i < block_bytes; ++i) pad[i] = padded[i] ^ std::byte{0x36};
    detail::Sha256Stream inner;
    inner.update(pad);
    for (ByteView part : parts) inner.update(part);
    inner_digest = inner.finish();
  }
  HmacSha256Tag tag{};
  {
    for (std::size_t i = 0; i < block_bytes; ++i) pad[i] = padded[i] ^ std::byte{0x5c};
    detail::Sha256Stream outer;
    outer.update(pad);
    outer.update(inner_digest);
    tag = outer.finish();
  }
  // Key material on the stack; the digest context keeps only the finished tag's state.
  sodium_memzero(padded.data(), padded.size());
  sodium_memzero(pad.data(), pad.size());
  sodium_memzero(inner_digest.data(), inner_digest.size());
  return tag;
}

bool verify_hmac_sha256(ByteView key, std::initializer_list<ByteView> parts, ByteView tag,
                        std::size_t tag_bytes) noexcept {
  if (tag_bytes < hmac_sha256_min_tag_bytes || tag_bytes > hmac_sha256_bytes) {
    contract_violation("HMAC tag length must be a protocol constant of 8..32 bytes");
  }
  if (tag.size() != tag_bytes) return false;
  const HmacSha256Tag expected = hmac_sha256(key, parts);
  return constant_time_equal(ByteView(expected).first(tag_bytes), tag);
}

}  // namespace bulwark::crypto
