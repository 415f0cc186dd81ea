// EnvelopeIdSource: envelope ids drawn from the server's CSPRNG a block at a time. Every
// envelope of every send needs 16 random bytes, and one getrandom() call for each was about 2.5%
// of the server's CPU per relayed message (perf, issue 10). The ids are not secrets (the
// recipient reads its own; nothing else learns them), they must only be unique and
// unpredictable, which bytes taken from a block of the same CSPRNG's output are just as much.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <mutex>

#include "common/bytes.h"
#include "common/rng.h"

namespace bulwark::server {

class EnvelopeIdSource {
 public:
  // Fills `out` from the block, drawing a new block from `rng` when it runs out. Safe to call
  // from every I/O thread.
  void fill(Rng& rng, MutableByteView out) {
    std::lock_guard lock(mutex_);
    while (!out.empty()) {
      if (used_ == block_.size()) {
        rng.fill(block_);
        used_ = 0;
      }
      const std::size_t take = std::min(out.size(), block_.size() - used_);
      std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>(used_), take, out.begin());
      used_ += take;
      out = out.subspan(take);
    }
  }

 private:
  static constexpr std::size_t block_bytes = 1024;
  std::mutex mutex_;
  std::array<std::byte, block_bytes> block_{};
  std::size_t used_ = block_bytes;
};

}  // namespace bulwark::server
