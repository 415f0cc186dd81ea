// Internal: libsodium initialisation and byte-pointer casts. Included by crypto/*.cpp only.
#pragma once

#include <sodium.h>

#include <cstddef>

#include "common/bytes.h"
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

// For libsodium parameters declared nonnull: an empty span's data() may be null, so point
// empty inputs at a harmless byte instead (the length, 0, keeps libsodium from reading it).
inline const unsigned char* uc_nonnull(ByteView view) noexcept {
  static constexpr unsigned char empty = 0;
  return view.empty() ? &empty : reinterpret_cast<const unsigned char*>(view.data());
}
inline const unsigned char* uc(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

}  // namespace bulwark::crypto::detail
