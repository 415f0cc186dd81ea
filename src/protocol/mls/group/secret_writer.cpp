#include "protocol/mls/group/secret_writer.h"

#include "protocol/mls/codec.h"

namespace bulwark::protocol::mls {

void SecretWriter::put(std::byte value) {
  if (!counting_) {
    if (size_ >= out_.size()) {
      failed_ = true;
      return;
    }
    out_[size_] = value;
  }
  ++size_;
}

void SecretWriter::big_endian(std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i-- > 0;) put(static_cast<std::byte>((value >> (8 * i)) & 0xff));
}

void SecretWriter::fixed(ByteView value) {
  for (const std::byte b : value) put(b);
}

void SecretWriter::varint(std::size_t value) {
  if (value > max_varint) {
    failed_ = true;
    return;
  }
  const auto v = static_cast<std::uint32_t>(value);
  switch (varint_size(v)) {
    case 1:
      u8(static_cast<std::uint8_t>(v));
      return;
    case 2:
      u16(static_cast<std::uint16_t>(0x4000 | v));
      return;
    default:
      u32(0x80000000u | v);
      return;
  }
}

void SecretWriter::opaque(ByteView value) {
  varint(value.size());
  fixed(value);
}

}  // namespace bulwark::protocol::mls
