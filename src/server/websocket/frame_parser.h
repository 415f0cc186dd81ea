// FrameParser: the server side of RFC 6455 framing, incremental and allocation-free for the
// common case (a whole unfragmented message inside one read).
//
// Feed it the bytes read from the connection as they come; it unmasks them in place and hands
// each complete message or control frame to a FrameSink. It enforces what a server must:
// client frames are masked, reserved bits are clear (no extension is ever negotiated), control
// frames are short and unfragmented, continuation frames continue something, lengths are
// minimally encoded, and no message exceeds the configured limit — checked from the header,
// before any of the payload is buffered. A violation is returned as the close code and reason
// to send; the connection must then stop feeding.
//
// Memory: nothing is buffered while idle; a message that spans reads is assembled in a string
// that grows only as its bytes arrive (a declared length alone reserves nothing).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bulwark::server::websocket {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t no_status = 1005;  // never sent: "the close frame had no code"
inline constexpr std::uint16_t too_big = 1009;
}  // namespace close_code

struct Event {
  enum class Kind { binary, text, ping, pong, close };
  Kind kind = Kind::binary;
  // The message, or the control frame's payload; for close, the reason after the code. Valid
  // only during the FrameSink call.
  std::string_view payload;
  std::uint16_t close_code = close_code::no_status;  // Kind::close only
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // False stops parsing: the rest of the input is dropped (the connection is closing).
  virtual bool on_event(const Event& event) = 0;
};

struct Violation {
  std::uint16_t close_code;
  std::string_view reason;  // static text, for the close frame and the log
};

class FrameParser {
 public:
  explicit FrameParser(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Consumes all of `data` (unmasking it in place) unless the sink stops or a violation is
  // found; after a violation the parser must not be fed again.
  [[nodiscard]] std::optional<Violation> feed(std::span<char> data, FrameSink& sink);

  // True between messages, with nothing buffered.
  [[nodiscard]] bool idle() const noexcept {
    return !in_frame_ && header_have_ == 0 && !in_message_;
  }

 private:
  // Parses header_ once complete; returns a violation or sets up the frame.
  [[nodiscard]] std::optional<Violation> begin_frame();
  // The frame's payload is complete in `payload` (unmasked).
  [[nodiscard]] std::optional<Violation> end_frame(std::string_view payload, FrameSink& sink,
                                                   bool& keep_going);
  void unmask(char* data, std::size_t size);

  std::size_t max_message_bytes_;

  // The header being read (2 to 14 bytes).
  std::array<unsigned char, 14> header_{};
  std::uint8_t header_have_ = 0;

  // The frame whose payload is being read.
  bool in_frame_ = false;
  Opcode opcode_ = Opcode::binary;
  bool fin_ = false;
  std::array<unsigned char, 4> mask_{};
  std::uint8_t mask_index_ = 0;
  std::uint64_t remaining_ = 0;
  std::string control_;  // a control frame split across reads (at most 125 bytes)

  // The data message being assembled (fragmented, or split across reads).
  bool in_message_ = false;
  bool message_text_ = false;
  std::string message_;
};

}  // namespace bulwark::server::websocket
