#include "crypto/mac.h"

#include "crypto/compare.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept {
  detail::sodium_ready();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, detail::uc_nonnull(key), key.size());
  for (ByteView part : parts) {
    crypto_auth_hmacsha256_update(&state, detail::uc_nonnull(part), part.size());
  }
  HmacSha256Tag tag{};
  crypto_auth_hmacsha256_final(&state, detail::uc(tag.data()));
  sodium_memzero(&state, sizeof state);  // the state holds the padded key
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
