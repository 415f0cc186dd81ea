#include "client/content.h"

#include <cstring>

#include "client/proto/content.pb.h"

namespace bulwark::client {

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) { i += 1; continue; }
    if ((c & 0xE0) == 0xC0) { extra = 1; code = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { extra = 2; code = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { extra = 3; code = c & 0x07; }
    else return false;
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t minimum[] = {0, 0x80, 0x800, 0x10000};
    if (code < minimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

Result<Bytes> encode_content(const Content& content) {
  if (content.body.size() > max_body_bytes)
    return fail(Errc::invalid_argument, "message body is over 64 KiB");
  if (!is_valid_utf8(content.body)) return fail(Errc::invalid_argument, "message body is not UTF-8");
  proto::Content message;
  message.set_body(content.body);
  message.set_sent_at_ms(static_cast<std::uint64_t>(content.sent_at_ms));
  message.set_sender_phone(content.sender_phone);
  message.set_sender_username(content.sender_username);
  auto set_bytes = [](ByteView bytes, std::string* out) {
    out->assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  };
  set_bytes(content.franking_key, message.mutable_franking_key());
  set_bytes(content.message_id, message.mutable_message_id());
  set_bytes(content.franking_previous, message.mutable_franking_previous());
  std::string serialised = message.SerializeAsString();
  std::size_t padded = (serialised.size() / content_padding_block + 1) * content_padding_block;
  Bytes out(padded, std::byte{0});
  std::memcpy(out.data(), serialised.data(), serialised.size());
  out[serialised.size()] = std::byte{0x80};
  return out;
}

Result<Content> decode_content(ByteView padded) {
  std::size_t end = padded.size();
  while (end > 0 && padded[end - 1] == std::byte{0}) --end;
  if (end == 0 || padded[end - 1] != std::byte{0x80})
    return fail(Errc::invalid_message, "content padding is malformed");
  proto::Content message;
  if (!message.ParseFromArray(padded.data(), static_cast<int>(end - 1)))
    return fail(Errc::invalid_message, "content does not parse");
  if (!is_valid_utf8(message.body())) return fail(Errc::invalid_message, "content is not UTF-8");
  Content out;
  out.body = message.body();
  out.sent_at_ms = static_cast<std::int64_t>(message.sent_at_ms());
  out.sender_phone = message.sender_phone();
  out.sender_username = message.sender_username();
  out.franking_key = to_bytes(as_bytes(message.franking_key()));
  out.message_id = to_bytes(as_bytes(message.message_id()));
  out.franking_previous = to_bytes(as_bytes(message.franking_previous()));
  return out;
}

}  // namespace bulwark::client
