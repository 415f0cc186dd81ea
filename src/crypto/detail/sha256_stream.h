// Internal: SHA-256 fed part by part, on OpenSSL's SHA-256 block functions (the CPU's SHA
// extensions) - what crypto::sha256 and HMAC run on. Included by crypto/*.cpp only.
//
// A stream is a plain value: copying it copies the state hashed so far, which is how HMAC
// keeps a key's two padded blocks hashed once (HmacSha256Key). Its state can derive from a
// key, so it is wiped when the stream goes.
#pragma once

#include <openssl/sha.h>

#include "common/bytes.h"
#include "crypto/hash.h"

namespace bulwark::crypto::detail {

class Sha256Stream {
 public:
  Sha256Stream() noexcept;
  Sha256Stream(const Sha256Stream&) noexcept = default;
  Sha256Stream& operator=(const Sha256Stream&) noexcept = default;
  ~Sha256Stream();
  void update(ByteView part) noexcept;
  // The digest of everything fed; the stream takes no more parts after it.
  [[nodiscard]] Sha256Digest finish() noexcept;

 private:
  SHA256_CTX state_;
};

}  // namespace bulwark::crypto::detail
