// Internal: SHA-256 fed part by part, on OpenSSL (the CPU's SHA extensions) with this thread's
// reused digest context - what crypto::sha256 runs on, for HMAC's two passes. Included by
// crypto/*.cpp only. One stream per thread at a time: a second one would share the context.
#pragma once

#include "common/bytes.h"
#include "crypto/hash.h"

namespace bulwark::crypto::detail {

class Sha256Stream {
 public:
  Sha256Stream() noexcept;
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(ByteView part) noexcept;
  [[nodiscard]] Sha256Digest finish() noexcept;
};

}  // namespace bulwark::crypto::detail
