// Helpers for "mutate a valid object" fuzzing: random bytes almost never form a valid key or
// ciphertext, so targets also start from a valid one and XOR the fuzz input into it. That
// gives an exact oracle: the result must be accepted if and only if nothing changed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/rng.h"

namespace bulwark::fuzz {

// `base` with `mask` XORed into its first bytes (mask longer than base is cut), and whether
// any bit actually changed.
struct Mutated {
  Bytes bytes;
  bool changed = false;
};

inline Mutated xor_into(ByteView base, ByteView mask) {
  Mutated out{to_bytes(base), false};
  const std::size_t n = std::min(base.size(), mask.size());
  for (std::size_t i = 0; i < n; ++i) {
    out.bytes[i] ^= mask[i];
    out.changed = out.changed || mask[i] != std::byte{0};
  }
  return out;
}

// A constant "random" source, so that every run of a target signs and encrypts the same way.
class FixedRng final : public Rng {
 public:
  explicit FixedRng(std::byte value) noexcept : value_(value) {}
  void fill(MutableByteView out) override {
    for (auto& b : out) b = value_;
  }

 private:
  std::byte value_;
};

// A deterministic stream (splitmix64) for targets that need distinct keys on every draw.
class CountingRng final : public Rng {
 public:
  explicit CountingRng(std::uint64_t seed) noexcept : state_(seed) {}
  void fill(MutableByteView out) override {
    for (auto& b : out) {
      state_ += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      b = static_cast<std::byte>((z ^ (z >> 31)) >> 56);
    }
  }

 private:
  std::uint64_t state_;
};

}  // namespace bulwark::fuzz
