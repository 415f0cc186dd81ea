// Reader: a bounded, big-endian cursor over untrusted bytes.
//
// Every read checks the remaining length first and returns Errc::truncated instead of
// reading past the end; nothing here allocates, so a hostile length field cannot make a
// decoder reserve memory it was never sent. Views returned by bytes()/rest() alias the
// input and live as long as it does.
#pragma once

#include <array>

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark {

class Reader {
 public:
  explicit Reader(ByteView input) noexcept : input_(input) {}

  [[nodiscard]] Result<std::uint8_t> u8();
  [[nodiscard]] Result<std::uint16_t> u16_be();
  [[nodiscard]] Result<std::uint32_t> u32_be();
  [[nodiscard]] Result<std::uint64_t> u64_be();
  // The next `count` bytes.
  [[nodiscard]] Result<ByteView> bytes(std::size_t count);
  // The next N bytes, as an array.
  template <std::size_t N>
  [[nodiscard]] Result<std::array<std::byte, N>> array() {
    const ByteView view = BULWARK_TRY(bytes(N));
    return to_array<N>(view);
  }
  // Everything not yet read.
  [[nodiscard]] ByteView rest() noexcept;
  // Fails with Errc::trailing_data unless every byte was read.
  [[nodiscard]] Result<void> expect_end() const;

  [[nodiscard]] std::size_t remaining() const noexcept { return input_.size() - offset_; }
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] bool at_end() const noexcept { return remaining() == 0; }

 private:
  template <class T>
  Result<T> read_big_endian();

  ByteView input_;
  std::size_t offset_ = 0;
};

}  // namespace bulwark
