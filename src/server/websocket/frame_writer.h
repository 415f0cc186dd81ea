// Server-to-client WebSocket frames (RFC 6455 §5.2): final, unmasked, no extensions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/websocket/frame_parser.h"

namespace bulwark::server::websocket {

// Most bytes a server frame header takes (2 + 8 of extended length).
inline constexpr std::size_t max_header_bytes = 10;

[[nodiscard]] std::size_t header_bytes(std::size_t payload_size);

// Writes the header for a frame of `payload_size` bytes at `out` (header_bytes(size) of room);
// returns how many bytes it wrote.
std::size_t write_header(char* out, Opcode opcode, std::size_t payload_size);

// Appends a whole frame to `out`.
void append_frame(std::string& out, Opcode opcode, std::string_view payload);

// A close frame's payload: the code, then the reason cut to fit a control frame's 125 bytes
// (at a UTF-8 character boundary).
[[nodiscard]] std::string close_payload(std::uint16_t code, std::string_view reason);

}  // namespace bulwark::server::websocket
