// The system CSPRNG (libsodium's randombytes: getrandom(2) on Linux).
#pragma once

#include "common/bytes.h"
#include "common/rng.h"

namespace bulwark::crypto {

// Fills `out` with cryptographically secure random bytes.
void random_bytes(MutableByteView out) noexcept;

// The production Rng: every key Bulwark generates outside tests comes from here.
class SystemRng final : public Rng {
 public:
  void fill(MutableByteView out) override { random_bytes(out); }
};

}  // namespace bulwark::crypto
