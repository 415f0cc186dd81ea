// Writer: a bounded, big-endian builder of byte strings.
//
// A writer never grows past the bound given at construction. Writes are not checked one by
// one: the first write that would exceed the bound makes the writer fail, later writes are
// ignored, and finish() reports Errc::capacity_exceeded (a sticky error, like a stream's
// failbit), so encoders stay linear and still cannot produce unbounded output.
// Not for secrets: the buffer grows by reallocation, which leaves unwiped copies behind.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark {

class Writer {
 public:
  explicit Writer(std::size_t max_bytes) noexcept : max_bytes_(max_bytes) {}

  void u8(std::uint8_t value);
  void u16_be(std::uint16_t value);
  void u32_be(std::uint32_t value);
  void u64_be(std::uint64_t value);
  void bytes(ByteView value);

  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  // The bytes written, or capacity_exceeded if any write overflowed the bound.
  [[nodiscard]] Result<Bytes> finish() &&;

 private:
  bool reserve(std::size_t count);
  template <class T>
  void write_big_endian(T value);

  Bytes out_;
  std::size_t max_bytes_;
  bool failed_ = false;
};

}  // namespace bulwark
