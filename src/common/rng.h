// Rng: the only way library code gets randomness. Injected by reference (libsignal style):
// production passes crypto::SystemRng (libsodium's CSPRNG), tests a seeded generator
// (tests/support/seeded_rng.h) so that every run is reproducible.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"

namespace bulwark {

class Rng {
 public:
  virtual ~Rng() = default;
  // Fills `out` entirely. Never fails: a source that cannot deliver aborts.
  virtual void fill(MutableByteView out) = 0;
};

template <std::size_t N>
[[nodiscard]] std::array<std::byte, N> random_array(Rng& rng) {
  std::array<std::byte, N> out{};
  rng.fill(out);
  return out;
}

}  // namespace bulwark
