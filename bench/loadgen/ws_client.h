// WsClient: one TLS 1.3 (or, on a plaintext context, plain) WebSocket client connection on an
// EventLoop, written directly on
// non-blocking sockets and OpenSSL (no Beast on the generator side: the generator must cost
// less per message than the server it measures, and it runs on one CPU).
//
// Covers exactly what bulwark-server speaks (RFC 6455 subset): one upgrade to a fixed path,
// binary messages (masked as a client must), fragmented server messages, ping -> pong, close.
// Invariants: `handler` outlives the client; the client is never destroyed inside a call to
// its own handler (phases destroy connections between EventLoop::poll calls).
#pragma once

#include <netinet/in.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "event_loop.h"

struct ssl_st;
struct ssl_ctx_st;

namespace bulwark::loadgen {

// The client side of TLS: TLS 1.3 only, the server's self-signed certificate as the one
// trust anchor, its IP address checked. Buffers released when idle (like the server), so an
// idle generator connection costs little memory either.
class TlsClientContext {
 public:
  // nullptr context and a message on stderr when the certificate cannot be loaded.
  static std::unique_ptr<TlsClientContext> create(const std::string& ca_file);
  // No TLS at all: clients on it speak plaintext WebSocket, for the server's loopback-only
  // benchmark listener (config.h, plaintext_listen). native() is then null.
  static std::unique_ptr<TlsClientContext> plaintext();
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;
  [[nodiscard]] ssl_ctx_st* native() const noexcept { return context_; }

 private:
  explicit TlsClientContext(ssl_ctx_st* context) : context_(context) {}
  ssl_ctx_st* context_;
};

struct ServerAddress {
  sockaddr_in address{};
  std::string host_header;  // "127.0.0.1:PORT"
};

// 127.0.0.1:`port`, where every benchmark starts its server.
[[nodiscard]] ServerAddress loopback_server(std::uint16_t port);

class WsClient final : public EventLoop::Watcher {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // The WebSocket is open: the server's first message (the challenge) follows.
    virtual void on_open(WsClient& client) = 0;
    // One complete binary message; `at` is when its bytes were read.
    virtual void on_message(WsClient& client, std::string_view payload, Clock::time_point at) = 0;
    // The connection failed or the server closed it (not called after close()).
    virtual void on_closed(WsClient& client, std::string_view reason) = 0;
  };

  // `source` is the local IPv4 address to connect from (network byte order).
  WsClient(EventLoop& loop, const TlsClientContext& tls, const ServerAddress& server,
           in_addr source, Handler& handler);
  ~WsClient() override;
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Before connect(): the `at` of each message becomes the time the kernel queued the first
  // byte of the read pass that brought it (SO_TIMESTAMPNS, seen through a 1-byte MSG_PEEK),
  // instead of the time this process parsed it. One generator holding thousands of devices
  // reads their sockets one after another; a device of its own would have read at arrival.
  // Costs one more system call per read pass.
  void use_kernel_receive_times() { kernel_receive_times_ = true; }

  void connect();
  // Queues one binary message and writes as much as the socket takes.
  void send(std::string_view payload);
  // Queues one binary message without writing it: flush_queued() writes everything queued in
  // one go (fewer system calls when one read pass answers with several messages).
  void queue(std::string_view payload);
  void flush_queued();
  // Closes the socket at once (no close handshake); no handler call follows.
  void close();

  [[nodiscard]] bool is_open() const noexcept { return state_ == State::open; }
  [[nodiscard]] bool is_closed() const noexcept { return state_ == State::closed; }
  [[nodiscard]] bool plaintext() const noexcept { return tls_.native() == nullptr; }
  // The 32-byte TLS exporter of api.proto's Authenticate; false before the handshake ends.
  [[nodiscard]] bool tls_exporter(std::array<std::byte, 32>& out) const;

  void on_events(std::uint32_t events) override;

 private:
  enum class State { idle, connecting, handshaking, upgrading, open, closed };

  void fail(std::string_view reason);
  void drive();
  void handshake();
  void begin_upgrade();
  void flush();
  void flush_plaintext();
  void read_all();
  // Appends what the socket holds to in_; false once the connection failed.
  bool read_tls(bool& got);
  bool read_plaintext(bool& got);
  [[nodiscard]] std::optional<Clock::time_point> kernel_arrival() const;
  void parse_upgrade();
  void parse_frames(Clock::time_point at);
  void append_frame(std::uint8_t opcode, std::string_view payload);
  void update_interest();

  EventLoop& loop_;
  const TlsClientContext& tls_;
  const ServerAddress& server_;
  in_addr source_;
  Handler& handler_;
  int fd_ = -1;
  ssl_st* ssl_ = nullptr;
  State state_ = State::idle;
  bool want_write_ = false;
  bool interest_write_ = false;
  bool kernel_receive_times_ = false;
  std::uint32_t mask_state_;
  std::string out_;
  std::size_t out_offset_ = 0;
  std::string in_;
  std::string fragments_;
};

}  // namespace bulwark::loadgen
