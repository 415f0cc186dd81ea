// ServerConnection: the client end of the device WebSocket (api.proto over TLS 1.3).
//
// One background I/O thread per connection; callers block with timeouts: call() sends a
// request and waits for its response, next_push() waits for the next server push. Pushes wait
// in a bounded queue; when it is full the connection stops reading (TCP back-pressure) until
// the caller takes some, so a slow consumer never makes memory grow.
//
// Trust: with a CA file, exactly the certificates in that file are trusted (pinning a
// development server's self-signed certificate); without one, the system's roots. The host
// name (or IP literal) is always verified.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "api/proto/api.pb.h"
#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::client {

struct ServerAddress {
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string path = "/v1/websocket";
  [[nodiscard]] std::string url() const;
};

// "wss://HOST:PORT[/PATH]"; the port defaults to 443. Errc::invalid_argument otherwise.
[[nodiscard]] Result<ServerAddress> parse_server_url(std::string_view url);

struct TlsTrust {
  std::optional<std::filesystem::path> ca_file;
};

class ServerConnection {
 public:
  static constexpr std::size_t max_queued_pushes = 1024;

  // Connects, completes TLS and the WebSocket handshake, and reads the server's Challenge.
  // Errc::network on failure or after `timeout`.
  [[nodiscard]] static Result<std::unique_ptr<ServerConnection>> open(
      const ServerAddress& address, const TlsTrust& trust, std::chrono::milliseconds timeout);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  // Sends `request` (its id is set here) and waits for the response. Errc::network when the
  // connection fails or the timeout passes.
  [[nodiscard]] Result<api::Response> call(api::Request request,
                                           std::chrono::milliseconds timeout);
  // The next push, or nullopt when none arrived within `timeout`. Errc::network once the
  // connection has closed (with the server's close reason).
  [[nodiscard]] Result<std::optional<api::Push>> next_push(std::chrono::milliseconds timeout);
  // Tells the server these envelopes are stored locally (it deletes them).
  [[nodiscard]] Result<void> ack(std::span<const std::string> envelope_ids);

  [[nodiscard]] ByteView challenge_nonce() const;
  [[nodiscard]] ByteView tls_exporter() const;
  [[nodiscard]] bool is_open() const;

 private:
  struct Impl;
  explicit ServerConnection(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace bulwark::client
