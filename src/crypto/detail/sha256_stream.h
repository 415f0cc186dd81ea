// Internal: SHA-256 fed part by part, on OpenSSL's SHA-256 block functions (the CPU's SHA
// extensions) - what crypto::sha256 and HMAC run on. Included by crypto/*.cpp only.
//
// A stream is a plain value: copying it copies the state hashed so far, which is how HMAC
// keeps a key's two padded blocks hashed once (HmacSha256Key). It is not wiped when it goes
// (most hashes are of public data, and a wipe costs an eighth of a short hash); a stream fed a
// secret is wiped by its user (crypto/mac.cpp).
#pragma once

#include <openssl/sha.h>

// SHA256_CTX and SHA256_Init/Update/Final are OpenSSL 3's deprecated low-level API (see
// crypto/hash.cpp for why they are used). An OpenSSL built without it fails here, clearly.
#ifdef OPENSSL_NO_DEPRECATED_3_0
#error "Bulwark needs OpenSSL's SHA256_* functions (an OpenSSL built without deprecated APIs)"
#endif

#include "common/bytes.h"
#include "crypto/hash.h"

namespace bulwark::crypto::detail {

class Sha256Stream {
 public:
  Sha256Stream() noexcept;
  void update(ByteView part) noexcept;
  // The digest of everything fed; the stream takes no more parts after it.
  [[nodiscard]] Sha256Digest finish() noexcept;
  // Zeroes the state, for a stream fed a secret; it takes no more parts after it.
  void wipe() noexcept;

 private:
  SHA256_CTX state_;
};

}  // namespace bulwark::crypto::detail
