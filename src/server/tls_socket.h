// TlsSocket: TLS (OpenSSL) run directly on a non-blocking TCP socket: an Asio AsyncStream for
// Beast's HTTP parser, and non-blocking try_read/try_write for the WebSocket (ws_session.cpp).
//
// Why not asio::ssl::stream: it holds two 17 KiB buffers and a 17 KiB BIO pair per connection
// for the connection's whole life (about 68 KiB), far over the server's budget for an idle
// device. Here OpenSSL reads and writes the socket itself (read-ahead, so one recv per burst)
// and SSL_MODE_RELEASE_BUFFERS frees its record buffers whenever nothing is pending.
//
// Plaintext mode (a null SSL_CTX): the same interface straight on the TCP socket, for the
// benchmark's loopback-only plaintext listener (config.h, plaintext_listen). The handshake and
// shutdown then do nothing, and reads and writes are the socket's own non-blocking calls.
//
// Threading: every call on the socket's executor (a strand). Not movable while an operation
// is outstanding (the operations refer to it). One read and one write may be
// outstanding at once, which is what a WebSocket needs. Waiting is socket.async_wait; Asio
// re-arms epoll on every wait, so readiness that arrives between OpenSSL's EAGAIN and the
// wait is not lost.
#pragma once

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <algorithm>
#include <cstddef>
#include <cstring>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace bulwark::server {

namespace tls_detail {

enum class Step { done, want_read, want_write };

struct Outcome {
  Step step = Step::done;
  std::size_t bytes = 0;
  boost::system::error_code error;  // set only when step is done
};

// One non-blocking attempt each. A closed socket fails at once: OpenSSL holds the descriptor
// number, which the kernel may already have given to another connection.
Outcome try_handshake(boost::asio::ip::tcp::socket& socket, SSL* ssl);
Outcome try_read(boost::asio::ip::tcp::socket& socket, SSL* ssl, void* data, std::size_t size);
Outcome try_write(boost::asio::ip::tcp::socket& socket, SSL* ssl, const void* data,
                  std::size_t size);
// Sends close_notify without waiting for the peer's.
Outcome try_shutdown(boost::asio::ip::tcp::socket& socket, SSL* ssl);
// Plaintext mode: one non-blocking read or write on the socket itself.
Outcome try_plain_read(boost::asio::ip::tcp::socket& socket, void* data, std::size_t size);
Outcome try_plain_write(boost::asio::ip::tcp::socket& socket, const void* data,
                        std::size_t size);

// Most a single write hands to OpenSSL: one full TLS record.
inline constexpr std::size_t max_record_payload = 16 * 1024;

// A buffer sequence as one contiguous span for SSL_write: the first buffer when it is alone
// (or already a full record), else up to one record's worth copied into a per-thread scratch
// buffer. WebSocket writes a frame as header + payload; coalescing keeps them one record and
// one send. OpenSSL is told the buffer may move between retries (the content does not).
struct WriteSpan {
  const void* data;
  std::size_t size;
};
unsigned char* scratch_buffer();

template <class Buffers>
WriteSpan write_span(const Buffers& buffers) {
  auto begin = boost::asio::buffer_sequence_begin(buffers);
  auto end = boost::asio::buffer_sequence_end(buffers);
  std::size_t nonempty = 0;
  boost::asio::const_buffer first;
  std::size_t total = 0;
  for (auto it = begin; it != end; ++it) {
    boost::asio::const_buffer buffer(*it);
    if (buffer.size() == 0) continue;
    if (nonempty++ == 0) first = buffer;
    total += buffer.size();
    if (total >= max_record_payload) break;
  }
  if (nonempty <= 1 || first.size() >= max_record_payload) return {first.data(), first.size()};
  unsigned char* scratch = scratch_buffer();
  std::size_t used = 0;
  for (auto it = begin; it != end && used < max_record_payload; ++it) {
    boost::asio::const_buffer buffer(*it);
    std::size_t take = std::min(buffer.size(), max_record_payload - used);
    std::memcpy(scratch + used, buffer.data(), take);
    used += take;
  }
  return {scratch, used};
}

template <class Buffers>
boost::asio::mutable_buffer first_nonempty(const Buffers& buffers) {
  auto end = boost::asio::buffer_sequence_end(buffers);
  for (auto it = boost::asio::buffer_sequence_begin(buffers); it != end; ++it) {
    boost::asio::mutable_buffer buffer(*it);
    if (buffer.size() != 0) return buffer;
  }
  return {};
}

// Repeats `attempt` until it is done, waiting on the socket in between. A result ready on the
// first attempt is posted, never delivered inside the initiating call.
template <class Attempt>
struct TlsOp {
  boost::asio::ip::tcp::socket& socket;
  Attempt attempt;
  bool started = false;
  bool delivering = false;
  Outcome ready{};

  template <class Self>
  void operator()(Self& self, boost::system::error_code wait_error = {}) {
    if (delivering) return self.complete(ready.error, ready.bytes);
    if (wait_error) return self.complete(wait_error, 0);
    Outcome outcome = attempt();
    bool first = !started;
    started = true;
    switch (outcome.step) {
      case Step::want_read:
        return socket.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(self));
      case Step::want_write:
        return socket.async_wait(boost::asio::ip::tcp::socket::wait_write, std::move(self));
      case Step::done:
        if (!first) return self.complete(outcome.error, outcome.bytes);
        delivering = true;
        ready = outcome;
        auto executor = socket.get_executor();
        return boost::asio::post(executor, std::move(self));
    }
  }
};

template <class Attempt>
TlsOp(boost::asio::ip::tcp::socket&, Attempt) -> TlsOp<Attempt>;

}  // namespace tls_detail

class TlsSocket {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  // Server side of a TLS connection on an accepted socket (made non-blocking here); with a
  // null `context`, a plaintext connection.
  TlsSocket(boost::asio::ip::tcp::socket socket, SSL_CTX* context);
  TlsSocket(TlsSocket&& other) noexcept;
  TlsSocket& operator=(TlsSocket&&) = delete;
  ~TlsSocket();

  executor_type get_executor() { return socket_.get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  SSL* native_handle() { return ssl_; }
  [[nodiscard]] bool plaintext() const noexcept { return plaintext_; }

  template <class Token>
  auto async_handshake(Token&& token) {
    return async_run(
        [this] {
          if (plaintext_) return tls_detail::Outcome{};
          return tls_detail::try_handshake(socket_, ssl_);
        },
        std::forward<Token>(token));
  }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return async_run(
        [this, buffers] {
          auto buffer = tls_detail::first_nonempty(buffers);
          if (buffer.size() == 0) return tls_detail::Outcome{};
          return try_read(buffer.data(), buffer.size());
        },
        std::forward<Token>(token));
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return async_run(
        [this, buffers] {
          auto span = tls_detail::write_span(buffers);
          if (span.size == 0) return tls_detail::Outcome{};
          return try_write(span.data, span.size);
        },
        std::forward<Token>(token));
  }

  template <class Token>
  auto async_shutdown(Token&& token) {
    return async_run(
        [this] {
          if (plaintext_) return tls_detail::Outcome{};
          return tls_detail::try_shutdown(socket_, ssl_);
        },
        std::forward<Token>(token));
  }

  // Non-blocking attempts for callers that wait on socket() themselves (WsSession).
  tls_detail::Outcome try_read(void* data, std::size_t size) {
    if (plaintext_) return tls_detail::try_plain_read(socket_, data, size);
    return tls_detail::try_read(socket_, ssl_, data, size);
  }
  tls_detail::Outcome try_write(const void* data, std::size_t size) {
    if (plaintext_) return tls_detail::try_plain_write(socket_, data, size);
    return tls_detail::try_write(socket_, ssl_, data, size);
  }
  // Decrypted or buffered bytes that a read would return without touching the socket.
  [[nodiscard]] bool has_pending() const;
  // Sends close_notify (if it fits in the socket now) and shuts down sending.
  void shutdown_send();

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  template <class Attempt, class Token>
  auto async_run(Attempt attempt, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        tls_detail::TlsOp{socket_, std::move(attempt)}, token, socket_);
  }

  boost::asio::ip::tcp::socket socket_;
  SSL* ssl_ = nullptr;
  bool plaintext_ = false;
};

}  // namespace bulwark::server
