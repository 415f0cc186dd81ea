#include "common/writer.h"

#include <string>

namespace bulwark {

bool Writer::reserve(std::size_t count) {
  if (failed_ || count > max_bytes_ - out_.size()) {
    failed_ = true;
    return false;
  }
  return true;
}

template <class T>
void Writer::write_big_endian(T value) {
  if (!reserve(sizeof(T))) return;
  for (std::size_t i = sizeof(T); i-- > 0;) {
    out_.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
  }
}

void Writer::u8(std::uint8_t value) { write_big_endian(value); }
void Writer::u16_be(std::uint16_t value) { write_big_endian(value); }
void Writer::u32_be(std::uint32_t value) { write_big_endian(value); }
void Writer::u64_be(std::uint64_t value) { write_big_endian(value); }

void Writer::bytes(ByteView value) {
  if (!reserve(value.size())) return;
  out_.insert(out_.end(), value.begin(), value.end());
}

Result<Bytes> Writer::finish() && {
  if (failed_) {
    return fail(Errc::capacity_exceeded, "output exceeds " + std::to_string(max_bytes_) + " bytes");
  }
  return std::move(out_);
}

}  // namespace bulwark
