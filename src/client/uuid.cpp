#include "client/uuid.h"

namespace bulwark::client {
namespace {

constexpr bool dash_at(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> format_uuid(ByteView bytes) {
  if (bytes.size() != uuid_bytes)
    return fail(Errc::invalid_length, "account id: expected 16 bytes");
  const std::string hex = to_hex(bytes);
  std::string out;
  out.reserve(uuid_text_chars);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(hex[i]);
  }
  return out;
}

Result<Bytes> parse_uuid(std::string_view text) {
  if (text.size() != uuid_text_chars)
    return fail(Errc::invalid_encoding, "account id: expected 36 characters of UUID text");
  Bytes out;
  out.reserve(uuid_bytes);
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (dash_at(i)) {
      if (text[i] != '-') return fail(Errc::invalid_encoding, "account id: misplaced dash");
      continue;
    }
    const int value = hex_value(text[i]);
    if (value < 0) return fail(Errc::invalid_encoding, "account id: not a hex digit");
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<std::byte>((high << 4) | value));
      high = -1;
    }
  }
  return out;
}

Result<protocol::ProtocolAddress> protocol_address(ByteView account_id, DeviceId device) {
  auto name = BULWARK_TRY(format_uuid(account_id));
  return protocol::ProtocolAddress{std::move(name), device};
}

}  // namespace bulwark::client
