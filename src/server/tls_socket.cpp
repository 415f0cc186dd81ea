#include "server/tls_socket.h"

#include <array>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace bulwark::server {
namespace tls_detail {
namespace {

namespace asio = boost::asio;

Outcome finished(boost::system::error_code error, std::size_t bytes = 0) {
  return {Step::done, bytes, error};
}

// What an OpenSSL call that returned `result` (not success) means for the caller.
Outcome classify(SSL* ssl, int result, int saved_errno) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
      return {Step::want_read, 0, {}};
    case SSL_ERROR_WANT_WRITE:
      return {Step::want_write, 0, {}};
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      return finished(asio::error::eof);
    case SSL_ERROR_SYSCALL:
      if (saved_errno != 0)
        return finished(boost::system::error_code(saved_errno, boost::system::system_category()));
      return finished(asio::ssl::error::stream_truncated);
    default: {
      unsigned long code = ERR_peek_last_error();
      ERR_clear_error();
      if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
        return finished(asio::ssl::error::stream_truncated);
      if (code == 0) return finished(asio::ssl::error::unspecified_system_error);
      return finished(boost::system::error_code(static_cast<int>(code),
                                                asio::error::get_ssl_category()));
    }
  }
}

bool usable(asio::ip::tcp::socket& socket, SSL* ssl) { return ssl != nullptr && socket.is_open(); }

// One OpenSSL call on a usable socket, with a clean error queue and errno, classified.
template <class Call>
Outcome attempt(asio::ip::tcp::socket& socket, SSL* ssl, Call call) {
  if (!usable(socket, ssl)) return finished(asio::error::bad_descriptor);
  ERR_clear_error();
  errno = 0;
  std::size_t bytes = 0;
  int result = call(bytes);
  if (result == 1) return finished({}, bytes);
  return classify(ssl, result, errno);
}

}  // namespace

Outcome try_handshake(asio::ip::tcp::socket& socket, SSL* ssl) {
  return attempt(socket, ssl, [ssl](std::size_t&) { return SSL_do_handshake(ssl); });
}

Outcome try_read(asio::ip::tcp::socket& socket, SSL* ssl, void* data, std::size_t size) {
  return attempt(socket, ssl,
                 [=](std::size_t& bytes) { return SSL_read_ex(ssl, data, size, &bytes); });
}

Outcome try_write(asio::ip::tcp::socket& socket, SSL* ssl, const void* data, std::size_t size) {
  return attempt(socket, ssl,
                 [=](std::size_t& bytes) { return SSL_write_ex(ssl, data, size, &bytes); });
}

Outcome try_shutdown(asio::ip::tcp::socket& socket, SSL* ssl) {
  if (!usable(socket, ssl)) return finished(asio::error::bad_descriptor);
  // After a fatal error OpenSSL refuses to send close_notify; there is nothing to wait for.
  if (SSL_in_init(ssl) != 0) return finished({});
  ERR_clear_error();
  errno = 0;
  int result = SSL_shutdown(ssl);
  if (result >= 0) return finished({});  // 0: ours is sent; we do not wait for the peer's
  return classify(ssl, result, errno);
}

namespace {

// A non-blocking socket call's error: "not now" becomes a wait, anything else ends it.
Outcome plain_outcome(boost::system::error_code error, std::size_t bytes, Step wait) {
  if (error == asio::error::would_block || error == asio::error::try_again) return {wait, 0, {}};
  return finished(error, bytes);
}

}  // namespace

Outcome try_plain_read(asio::ip::tcp::socket& socket, void* data, std::size_t size) {
  if (!socket.is_open()) return finished(asio::error::bad_descriptor);
  boost::system::error_code error;
  const std::size_t bytes = socket.read_some(asio::buffer(data, size), error);
  return plain_outcome(error, bytes, Step::want_read);
}

Outcome try_plain_write(asio::ip::tcp::socket& socket, const void* data, std::size_t size) {
  if (!socket.is_open()) return finished(asio::error::bad_descriptor);
  boost::system::error_code error;
  const std::size_t bytes = socket.write_some(asio::buffer(data, size), error);
  return plain_outcome(error, bytes, Step::want_write);
}

unsigned char* scratch_buffer() {
  thread_local std::array<unsigned char, max_record_payload> scratch;
  return scratch.data();
}

}  // namespace tls_detail

TlsSocket::TlsSocket(boost::asio::ip::tcp::socket socket, SSL_CTX* context)
    : socket_(std::move(socket)) {
  boost::system::error_code error;
  socket_.non_blocking(true, error);
  if (error) return;  // ssl_ stays null: every operation fails with bad_descriptor
  if (context == nullptr) {
    plaintext_ = true;
    return;
  }
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr) return;
  if (SSL_set_fd(ssl_, static_cast<int>(socket_.native_handle())) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    return;
  }
  SSL_set_accept_state(ssl_);
  // Whole bursts per recv instead of a header read and a body read per record.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                         SSL_MODE_RELEASE_BUFFERS);
}

TlsSocket::TlsSocket(TlsSocket&& other) noexcept
    : socket_(std::move(other.socket_)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      plaintext_(other.plaintext_) {}

TlsSocket::~TlsSocket() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // the socket BIO does not own the descriptor
}

bool TlsSocket::has_pending() const { return ssl_ != nullptr && SSL_has_pending(ssl_) == 1; }

void TlsSocket::shutdown_send() {
  tls_detail::try_shutdown(socket_, ssl_);
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace bulwark::server
