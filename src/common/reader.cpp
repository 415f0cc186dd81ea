#include "common/reader.h"

#include <string>

namespace bulwark {

template <class T>
Result<T> Reader::read_big_endian() {
  if (remaining() < sizeof(T)) {
    return fail(Errc::truncated, "need " + std::to_string(sizeof(T)) + " bytes at offset " +
                                     std::to_string(offset_));
  }
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | std::to_integer<T>(input_[offset_ + i]));
  }
  offset_ += sizeof(T);
  return value;
}

Result<std::uint8_t> Reader::u8() { return read_big_endian<std::uint8_t>(); }
Result<std::uint16_t> Reader::u16_be() { return read_big_endian<std::uint16_t>(); }
Result<std::uint32_t> Reader::u32_be() { return read_big_endian<std::uint32_t>(); }
Result<std::uint64_t> Reader::u64_be() { return read_big_endian<std::uint64_t>(); }

Result<ByteView> Reader::bytes(std::size_t count) {
  if (count > remaining()) {
    return fail(Errc::truncated, "need " + std::to_string(count) + " bytes at offset " +
                                     std::to_string(offset_) + ", have " +
                                     std::to_string(remaining()));
  }
  ByteView out = input_.subspan(offset_, count);
  offset_ += count;
  return out;
}

ByteView Reader::rest() noexcept {
  ByteView out = input_.subspan(offset_);
  offset_ = input_.size();
  return out;
}

Result<void> Reader::expect_end() const {
  if (!at_end()) {
    return fail(Errc::trailing_data, std::to_string(remaining()) + " unexpected trailing bytes");
  }
  return {};
}

}  // namespace bulwark
