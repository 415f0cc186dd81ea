// ViewSketch: a post's approximate view counter, one per account, that does not record who
// viewed (DESIGN.md: no read state). A HyperLogLog of 256 one-byte registers (about 6.5%
// standard error at large counts; exact in practice below a few dozen, where linear counting
// applies) fed with a keyed hash of the viewing account: the same account adds the same value
// again and changes nothing, and without the server's view key the registers say nothing
// about any account.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::channel {

inline constexpr std::size_t view_sketch_bytes = 256;
inline constexpr std::size_t view_key_bytes = 32;

class ViewSketch {
 public:
  ViewSketch() { registers_.fill(0); }
  // Errc::invalid_length unless 256 bytes; Errc::invalid_encoding for an impossible register.
  [[nodiscard]] static Result<ViewSketch> from_bytes(ByteView bytes);

  // Adds one hashed viewer; true when the sketch changed.
  bool add(std::uint64_t viewer_hash) noexcept;
  [[nodiscard]] std::uint64_t estimate() const noexcept;
  [[nodiscard]] ByteView bytes() const noexcept {
    return {reinterpret_cast<const std::byte*>(registers_.data()), registers_.size()};
  }

 private:
  std::array<std::uint8_t, view_sketch_bytes> registers_;
};

// The value an account adds to a post's sketch: HMAC-SHA256(view_key, channel || seq ||
// account), first 8 bytes.
[[nodiscard]] std::uint64_t viewer_hash(ByteView view_key, ByteView channel, std::uint64_t seq,
                                        ByteView account);

}  // namespace bulwark::channel
