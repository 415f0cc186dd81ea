// RawWebSocket: a deliberately dumb client of the server's WebSocket (TLS 1.3, verified against
// the server's certificate file) that sends arbitrary bytes, for tests of what the server does
// with garbage, oversize and text frames. Every operation is bounded by a timeout and reports
// what happened instead of throwing, except that connect() throws when it cannot connect.
// Beast stays in raw_websocket.cpp (its headers are slow to compile).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::e2e {

struct WsRead {
  enum class Kind { message, closed, error, timeout };
  Kind kind = Kind::timeout;
  std::string data;  // the message (kind == message)
  bool binary = false;
  int close_code = 0;        // kind == closed: the code of the server's close frame
  std::string close_reason;  // kind == closed
  std::string error;         // kind == error
  [[nodiscard]] std::string describe() const;
};

class RawWebSocket {
 public:
  static std::unique_ptr<RawWebSocket> connect(std::uint16_t port,
                                               const std::filesystem::path& ca_file,
                                               std::chrono::milliseconds timeout);
  ~RawWebSocket();
  RawWebSocket(const RawWebSocket&) = delete;
  RawWebSocket& operator=(const RawWebSocket&) = delete;

  // "" on success, else the error (a peer that closed mid-write is an error, not a throw).
  [[nodiscard]] std::string write_binary(std::string_view data, std::chrono::milliseconds timeout);
  [[nodiscard]] std::string write_text(std::string_view data, std::chrono::milliseconds timeout);
  [[nodiscard]] WsRead read(std::chrono::milliseconds timeout);
  // Sends a ping; the server's pongs are collected (in order) as later reads see them.
  [[nodiscard]] std::string ping(std::string_view payload, std::chrono::milliseconds timeout);
  [[nodiscard]] const std::vector<std::string>& pongs() const;
  // The closing handshake: our close frame, then the server's, then the end of the stream.
  [[nodiscard]] std::string close(int code, std::chrono::milliseconds timeout);

  struct Impl;

 private:
  explicit RawWebSocket(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::e2e
