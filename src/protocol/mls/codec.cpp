#include "protocol/mls/codec.h"

#include <string>

namespace bulwark::protocol::mls {

std::size_t varint_size(std::uint32_t value) noexcept {
  if (value < (1u << 6)) return 1;
  if (value < (1u << 14)) return 2;
  return 4;
}

Result<std::uint32_t> TlsReader::varint() {
  const std::uint8_t first = BULWARK_TRY(reader_.u8());
  const unsigned prefix = first >> 6;
  if (prefix == 3) return fail(Errc::invalid_encoding, "varint with the reserved prefix 0b11");
  const std::size_t width = std::size_t{1} << prefix;
  std::uint32_t value = first & 0x3fu;
  for (std::size_t i = 1; i < width; ++i) {
    value = (value << 8) | BULWARK_TRY(reader_.u8());
  }
  if (varint_size(value) != width) {
    return fail(Errc::invalid_encoding, "varint not in its shortest form");
  }
  return value;
}

Result<ByteView> TlsReader::opaque(std::size_t max_bytes) {
  const std::uint32_t length = BULWARK_TRY(varint());
  if (length > max_bytes) {
    return fail(Errc::invalid_encoding, "vector of " + std::to_string(length) +
                                            " bytes exceeds its bound of " +
                                            std::to_string(max_bytes));
  }
  return reader_.bytes(length);
}

Result<TlsReader> TlsReader::vector(std::size_t max_bytes) {
  const ByteView body = BULWARK_TRY(opaque(max_bytes));
  return TlsReader(body);
}

Result<bool> TlsReader::present() {
  const std::uint8_t flag = BULWARK_TRY(reader_.u8());
  if (flag > 1) return fail(Errc::invalid_encoding, "optional presence byte is not 0 or 1");
  return flag == 1;
}

bool TlsWriter::reserve(std::size_t count) noexcept {
  if (failed_ || count > max_bytes_ - out_.size()) {
    failed_ = true;
    return false;
  }
  return true;
}

void TlsWriter::big_endian(std::uint64_t value, std::size_t width) {
  if (!reserve(width)) return;
  for (std::size_t i = width; i-- > 0;) {
    out_.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
  }
}

void TlsWriter::fixed(ByteView value) {
  if (!reserve(value.size())) return;
  out_.insert(out_.end(), value.begin(), value.end());
}

void TlsWriter::varint(std::uint64_t value) {
  if (value > max_varint) {
    failed_ = true;
    return;
  }
  const auto narrow = static_cast<std::uint32_t>(value);
  switch (varint_size(narrow)) {
    case 1:
      u8(static_cast<std::uint8_t>(narrow));
      break;
    case 2:
      u16(static_cast<std::uint16_t>(narrow | 0x4000u));
      break;
    default:
      u32(narrow | 0x80000000u);
      break;
  }
}

void TlsWriter::opaque(ByteView value) {
  varint(value.size());
  fixed(value);
}

Result<Bytes> TlsWriter::finish() && {
  if (rejected_) {
    return fail(Errc::invalid_argument, "a value does not match its selector or its bounds");
  }
  if (failed_) {
    return fail(Errc::capacity_exceeded,
                "encoding exceeds " + std::to_string(max_bytes_) + " bytes or a varint's range");
  }
  return std::move(out_);
}

}  // namespace bulwark::protocol::mls
