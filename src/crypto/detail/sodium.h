// Internal: libsodium initialisation and byte-pointer casts. Included by crypto/*.cpp only.
#pragma once

#include <sodium.h>

#include <cstddef>

#include "common/result.h"

namespace bulwark::crypto::detail {

// Runs sodium_init() once (thread-safe); aborts if libsodium cannot initialise, because no
// primitive may run on an uninitialised library.
inline void sodium_ready() noexcept {
  static const bool ready = [] {
    if (sodium_init() < 0) contract_violation("libsodium failed to initialise");
    return true;
  }();
  (void)ready;
}

inline unsigned char* uc(std::byte* p) noexcept { return reinterpret_cast<unsigned char*>(p); }
inline const unsigned char* uc(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

}  // namespace bulwark::crypto::detail
