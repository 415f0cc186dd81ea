#include "server/websocket/frame_writer.h"

namespace bulwark::server::websocket {

std::size_t header_bytes(std::size_t payload_size) {
  if (payload_size < 126) return 2;
  if (payload_size <= 0xFFFF) return 4;
  return 10;
}

std::size_t write_header(char* out, Opcode opcode, std::size_t payload_size) {
  out[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payload_size < 126) {
    out[1] = static_cast<char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<char>(payload_size >> 8);
    out[3] = static_cast<char>(payload_size & 0xFF);
    return 4;
  }
  out[1] = 127;
  auto length = static_cast<std::uint64_t>(payload_size);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>((length >> (8 * (7 - i))) & 0xFF);
  return 10;
}

void append_frame(std::string& out, Opcode opcode, std::string_view payload) {
  char header[max_header_bytes];
  std::size_t size = write_header(header, opcode, payload.size());
  out.append(header, size);
  out.append(payload);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  constexpr std::size_t max_reason = 125 - 2;
  if (reason.size() > max_reason) {
    std::size_t cut = max_reason;
    // Back up over UTF-8 continuation bytes so that no character is split.
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
    reason = reason.substr(0, cut);
  }
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason);
  return payload;
}

}  // namespace bulwark::server::websocket
