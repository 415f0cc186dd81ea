// Deterministic bytes for the fixed keys a fuzz target builds its state from, so that a crash
// found once replays the same way. A test harness, never a key source.
#pragma once

#include <cstdint>

#include "common/rng.h"

namespace bulwark::fuzz {

class CounterRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (std::byte& b : out) b = static_cast<std::byte>((counter_++ * 0x9d) ^ 0x5b);
  }

 private:
  std::uint32_t counter_ = 1;
};

}  // namespace bulwark::fuzz
