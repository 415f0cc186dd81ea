// Message content inside the encryption (proto/content.proto), padded before encryption so
// that ciphertext lengths reveal only a coarse size class: Signal's scheme, 0x80 then zero
// bytes up to the next multiple of 160.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::client {

inline constexpr std::size_t content_padding_block = 160;
inline constexpr std::size_t max_body_bytes = 64 * 1024;

struct Content {
  std::string body;
  std::int64_t sent_at_ms = 0;
  std::string sender_phone;
  std::string sender_username;
  // Message franking's opening (docs/FRANKING.md); empty in content from before franking.
  Bytes franking_key;       // 32 bytes
  Bytes message_id;         // 16 bytes
  Bytes franking_previous;  // 32 bytes
};

// Errc::invalid_argument for a body over max_body_bytes or not valid UTF-8.
[[nodiscard]] Result<Bytes> encode_content(const Content& content);
// Errc::invalid_message when the padding or the protobuf is malformed.
[[nodiscard]] Result<Content> decode_content(ByteView padded);
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace bulwark::client
