#include "crypto/mac.h"

#include "crypto/compare.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

HmacSha256Tag hmac_sha256(ByteView key, std::initializer_list<ByteView> parts) noexcept {
  detail::sodium_ready();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, detail::uc(key.data()), key.size());
  for (ByteView part : parts) {
    crypto_auth_hmacsha256_update(&state, detail::uc(part.data()), part.size());
  }
  HmacSha256Tag tag{};
  crypto_auth_hmacsha256_final(&state, detail::uc(tag.data()));
  sodium_memzero(&state, sizeof state);  // the state holds the padded key
  return tag;
}

bool verify_hmac_sha256(ByteView key, std::initializer_list<ByteView> parts,
                        ByteView tag) noexcept {
  if (tag.empty() || tag.size() > hmac_sha256_bytes) return false;
  const HmacSha256Tag expected = hmac_sha256(key, parts);
  return constant_time_equal(ByteView(expected).first(tag.size()), tag);
}

}  // namespace bulwark::crypto
