// SeededRng: a deterministic Rng for tests (xoshiro256** seeded through splitmix64).
// Never a source of real keys: it lives in tests/support and only tests link it.
#pragma once

#include <cstdint>

#include "common/rng.h"

namespace bulwark::testing {

class SeededRng final : public Rng {
 public:
  explicit SeededRng(std::uint64_t seed) noexcept {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  void fill(MutableByteView out) override {
    for (std::byte& b : out) b = static_cast<std::byte>(next() >> 56);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

}  // namespace bulwark::testing
