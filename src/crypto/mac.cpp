#include "crypto/mac.h"

#include <algorithm>
#include <array>

#include "crypto/compare.h"
#include "crypto/detail/sha256_stream.h"
#include "crypto/detail/sodium.h"
#include "crypto/hash.h"

namespace bulwark::crypto {

namespace {

constexpr std::size_t block_bytes = 64;

// A stream fed key material: wiped when it goes.
struct SecretStream : detail::Sha256Stream {
  SecretStream() noexcept = default;
  SecretStream(const SecretStream&) noexcept = default;
  SecretStream& operator=(const SecretStream&) noexcept = default;
  ~SecretStream() { wipe(); }
};

// RFC 2104's two key blocks, each hashed: the states every tag under the key starts from.
struct KeyBlocks {
  SecretStream inner;
  SecretStream outer;
};

KeyBlocks key_blocks(ByteView key) noexcept {
  std::array<std::byte, block_bytes> padded{};  // the key, hashed first if over a block
  if (key.size() > block_bytes) {
    SecretStream hashing;
    hashing.update(key);
    Sha256Digest hashed = hashing.finish();  // as good as the key itself: wiped below
    std::copy(hashed.begin(), hashed.end(), padded.begin());
    sodium_memzero(hashed.data(), hashed.size());
  } else {
    std::copy(key.begin(), key.end(), padded.begin());
  }
  std::array<std::byte, block_bytes> pad{};
  KeyBlocks blocks;
  for (std::size_t i = 0; i < block_bytes; ++i) pad[i] = padded[i] ^ std::byte{0x36};
  blocks.inner.update(pad);
  for (std::size_t i = 0; i < block_bytes; ++i) pad[i] = padded[i] ^ std::byte{0x5c};
  blocks.outer.update(pad);
  // Key material on the stack; the streams wipe themselves.
  sodium_memzero(padded.data(), padded.size());
  sodium_memzero(pad.data(), pad.size());
  return blocks;
}

HmacSha256Tag tag_from(const KeyBlocks& blocks, std::initializer_list<ByteView> parts) noexcept {
  SecretStream inner = blocks.inner;
  for (ByteView part : parts) inner.update(part);
  Sha256Digest inner_digest = inner.finish();
  SecretStream outer = blocks.outer;
  outer.update(inner_digest);
  sodium_memzero(inner_digest.data(), inner_digest.size());
  return outer.finish();
}

}  // namespace

// RFC 2104 over OpenSSL's SHA-256 (the CPU's SHA extensions): about 3x libsodium's portable
// SHA-256 on the short inputs of message MACs, HKDF and franking stamps.
HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept {
  return tag_from(key_blocks(key), parts);
}

struct HmacSha256Key::Blocks : KeyBlocks {};

HmacSha256Key::HmacSha256Key(ByteView key)
    : blocks_(std::make_unique<Blocks>(Blocks{key_blocks(key)})) {}
HmacSha256Key::~HmacSha256Key() = default;
HmacSha256Key::HmacSha256Key(HmacSha256Key&&) noexcept = default;
HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&&) noexcept = default;

HmacSha256Tag HmacSha256Key::tag(std::initializer_list<ByteView> parts) const noexcept {
  if (!blocks_) contract_violation("HmacSha256Key used after a move");
  return tag_from(*blocks_, parts);
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
