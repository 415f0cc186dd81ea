// Connection: what the request handlers see of one device's WebSocket (ws_session.cpp is the
// Beast implementation). Keeps Beast and Asio out of the handlers: they post work to the
// connection's strand and queue serialised frames, nothing more.
//
// Threading: every method except post() and deliver() must be called on the connection's
// strand (its executor: with one I/O thread the io_context itself, server.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/bytes.h"

namespace bulwark::server {

class DeviceSession;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  virtual ~Connection() = default;
  // Runs `fn` on this connection's strand. Safe from any thread; dropped once closed.
  virtual void post(std::function<void()> fn) = 0;
  // Queues one serialised Frame. Over the write-queue bound the connection is closed (a reader
  // this slow must reconnect and drain from the store) and false is returned.
  virtual bool write(std::shared_ptr<const std::string> frame) = 0;
  [[nodiscard]] virtual std::size_t queued_write_bytes() const = 0;
  // From any thread: write(frame) on this connection's strand, then send it. A channel post's
  // fan-out calls this once per online subscriber, so implementations make it cheap (one
  // handler, no second hop for the flush); this default goes through post().
  virtual void deliver(std::shared_ptr<const std::string> frame) {
    post([self = shared_from_this(), frame = std::move(frame)] { self->write(frame); });
  }
  // Sends a WebSocket close with `reason` (no secrets) and ends the connection.
  virtual void close(std::string_view reason) = 0;
  [[nodiscard]] virtual const std::string& remote_ip() const = 0;
  // 32 bytes of TLS keying material (RFC 5705/8446 exporter) unique to this connection.
  [[nodiscard]] virtual ByteView tls_exporter() const = 0;
  // True on the benchmark's plaintext listener (config.h, plaintext_listen): there is no TLS
  // exporter, and device authentication signs api::plaintext_device_auth_message instead.
  [[nodiscard]] virtual bool plaintext() const { return false; }
  [[nodiscard]] virtual DeviceSession& session() = 0;
};

}  // namespace bulwark::server
