#include "crypto/legacy_sha1.h"

#include <openssl/sha.h>

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

std::array<std::byte, legacy_sha1_bytes> legacy_sha1(ByteView data) noexcept {
  std::array<std::byte, legacy_sha1_bytes> digest{};
  SHA1(detail::uc(data.data()), data.size(), detail::uc(digest.data()));
  return digest;
}

}  // namespace bulwark::crypto
