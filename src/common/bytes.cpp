#include "common/bytes.h"

namespace bulwark {
namespace {

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::byte b : bytes) {
    const auto v = std::to_integer<unsigned>(b);
    out.push_back(digits[v >> 4]);
    out.push_back(digits[v & 0x0f]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return fail(Errc::invalid_encoding, "hex string has odd length");
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit_value(hex[i]);
    const int lo = hex_digit_value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return fail(Errc::invalid_encoding, "non-hex digit at offset " + std::to_string(i));
    }
    out.push_back(static_cast<std::byte>((hi << 4) | lo));
  }
  return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
  std::size_t total = 0;
  for (ByteView part : parts) total += part.size();
  Bytes out;
  out.reserve(total);
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace bulwark
