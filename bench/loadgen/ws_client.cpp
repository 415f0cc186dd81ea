#include "ws_client.h"

#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace bulwark::loadgen {
namespace {

constexpr std::size_t read_chunk = 16 * 1024;
constexpr std::size_t max_message_bytes = 2 * 1024 * 1024;
constexpr std::uint8_t op_continuation = 0x0;
constexpr std::uint8_t op_text = 0x1;
constexpr std::uint8_t op_binary = 0x2;
constexpr std::uint8_t op_close = 0x8;
constexpr std::uint8_t op_ping = 0x9;

std::string openssl_error() {
  char text[256];
  unsigned long code = ERR_get_error();
  if (code == 0) return std::strerror(errno);
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

}  // namespace

std::unique_ptr<TlsClientContext> TlsClientContext::create(const std::string& ca_file) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return nullptr;
  SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION);
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                                SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr) != 1) {
    std::fprintf(stderr, "loadgen: cannot load %s: %s\n", ca_file.c_str(), openssl_error().c_str());
    SSL_CTX_free(context);
    return nullptr;
  }
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  return std::unique_ptr<TlsClientContext>(new TlsClientContext(context));
}

std::unique_ptr<TlsClientContext> TlsClientContext::plaintext() {
  return std::unique_ptr<TlsClientContext>(new TlsClientContext(nullptr));
}

TlsClientContext::~TlsClientContext() { SSL_CTX_free(context_); }

ServerAddress loopback_server(std::uint16_t port) {
  ServerAddress server;
  server.address.sin_family = AF_INET;
  server.address.sin_port = htons(port);
  server.address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  server.host_header = "127.0.0.1:" + std::to_string(port);
  return server;
}

WsClient::WsClient(EventLoop& loop, const TlsClientContext& tls, const ServerAddress& server,
                   in_addr source, Handler& handler)
    : loop_(loop),
      tls_(tls),
      server_(server),
      source_(source),
      handler_(handler),
      mask_state_(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(this) >> 4) | 1u) {}

WsClient::~WsClient() { close(); }

void WsClient::connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (kernel_receive_times_) ::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = source_;
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0)
    return fail(std::string("bind: ") + std::strerror(errno));
  state_ = State::connecting;
  const auto* address = reinterpret_cast<const sockaddr*>(&server_.address);
  if (::connect(fd_, address, sizeof server_.address) != 0 && errno != EINPROGRESS)
    return fail(std::string("connect: ") + std::strerror(errno));
  loop_.add(fd_, *this, EPOLLIN | EPOLLOUT);
  interest_write_ = true;
}

void WsClient::close() {
  if (fd_ >= 0) {
    loop_.remove(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  if (ssl_ != nullptr) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  state_ = State::closed;
  std::string().swap(out_);
  std::string().swap(in_);
  std::string().swap(fragments_);
}

void WsClient::fail(std::string_view reason) {
  if (state_ == State::closed) return;
  close();
  handler_.on_closed(*this, reason);
}

bool WsClient::tls_exporter(std::array<std::byte, 32>& out) const {
  if (ssl_ == nullptr) return false;
  static constexpr char label[] = "EXPORTER-bulwark-device-auth";
  return SSL_export_keying_material(ssl_, reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                    label, sizeof label - 1, nullptr, 0, 0) == 1;
}

void WsClient::on_events(std::uint32_t events) {
  if (state_ == State::closed) return;
  if (state_ == State::connecting) {
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return fail(std::string("connect: ") + std::strerror(error));
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    if (plaintext()) {
      begin_upgrade();
      return drive();
    }
    ssl_ = SSL_new(tls_.native());
    SSL_set_fd(ssl_, fd_);
    SSL_set_connect_state(ssl_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    state_ = State::handshaking;
  }
  drive();
}

void WsClient::drive() {
  want_write_ = false;
  if (state_ == State::handshaking) handshake();
  if (state_ == State::upgrading || state_ == State::open) {
    flush();
    if (state_ != State::closed) read_all();
  }
  if (state_ != State::closed) update_interest();
}

void WsClient::handshake() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  if (result != 1) {
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_WANT_READ) return;
    if (error == SSL_ERROR_WANT_WRITE) {
      want_write_ = true;
      return;
    }
    const long verify = SSL_get_verify_result(ssl_);
    std::string reason = "TLS handshake: " + openssl_error();
    if (verify != X509_V_OK)
      reason += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    return fail(reason);
  }
  begin_upgrade();
}

void WsClient::begin_upgrade() {
  state_ = State::upgrading;
  out_ += "GET /v1/websocket HTTP/1.1\r\nHost: " + server_.host_header +
          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: YnVsd2Fyay1sb2FkZ2VuLQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

void WsClient::send(std::string_view payload) {
  queue(payload);
  flush_queued();
}

void WsClient::queue(std::string_view payload) {
  if (state_ != State::open) return;
  append_frame(op_binary, payload);
}

void WsClient::flush_queued() {
  if (state_ != State::open || out_.empty()) return;
  want_write_ = false;
  flush();
  if (state_ != State::closed) update_interest();
}

void WsClient::append_frame(std::uint8_t opcode, std::string_view payload) {
  const std::size_t size = payload.size();
  unsigned char header[14];
  std::size_t length = 0;
  header[length++] = static_cast<unsigned char>(0x80 | opcode);
  if (size < 126) {
    header[length++] = static_cast<unsigned char>(0x80 | size);
  } else if (size <= 0xFFFF) {
    header[length++] = 0x80 | 126;
    header[length++] = static_cast<unsigned char>(size >> 8);
    header[length++] = static_cast<unsigned char>(size);
  } else {
    header[length++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8)
      header[length++] = static_cast<unsigned char>(static_cast<std::uint64_t>(size) >> shift);
  }
  // xorshift32: masking is a framing rule here, not a secret (no proxy sits on loopback).
  mask_state_ ^= mask_state_ << 13;
  mask_state_ ^= mask_state_ >> 17;
  mask_state_ ^= mask_state_ << 5;
  unsigned char mask[4];
  std::memcpy(mask, &mask_state_, 4);
  std::memcpy(header + length, mask, 4);
  length += 4;
  out_.append(reinterpret_cast<const char*>(header), length);
  const std::size_t start = out_.size();
  out_.append(payload);
  char* data = out_.data() + start;
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(data[i] ^ mask[i & 3]);
}

void WsClient::flush() {
  if (plaintext()) return flush_plaintext();
  while (out_offset_ < out_.size()) {
    ERR_clear_error();
    const int written =
        SSL_write(ssl_, out_.data() + out_offset_, static_cast<int>(out_.size() - out_offset_));
    if (written > 0) {
      out_offset_ += static_cast<std::size_t>(written);
      continue;
    }
    const int error = SSL_get_error(ssl_, written);
    if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
      want_write_ = error == SSL_ERROR_WANT_WRITE;
      break;
    }
    return fail("TLS write: " + openssl_error());
  }
  if (out_offset_ == out_.size()) {
    out_.clear();
    out_offset_ = 0;
  } else if (out_offset_ > 64 * 1024) {
    out_.erase(0, out_offset_);
    out_offset_ = 0;
  }
}

void WsClient::flush_plaintext() {
  while (out_offset_ < out_.size()) {
    const ssize_t written =
        ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
    if (written > 0) {
      out_offset_ += static_cast<std::size_t>(written);
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      want_write_ = true;
      return;
    }
    return fail(std::string("write: ") + std::strerror(errno));
  }
  out_.clear();
  out_offset_ = 0;
}

void WsClient::read_all() {
  bool got = false;
  const std::optional<Clock::time_point> arrived =
      kernel_receive_times_ ? kernel_arrival() : std::nullopt;
  if (!(plaintext() ? read_plaintext(got) : read_tls(got))) return;
  if (!got) return;
  if (state_ == State::upgrading) parse_upgrade();
  if (state_ == State::open) parse_frames(arrived.value_or(Clock::now()));
}

bool WsClient::read_plaintext(bool& got) {
  char buffer[read_chunk];
  for (;;) {
    const ssize_t read = ::recv(fd_, buffer, sizeof buffer, 0);
    if (read > 0) {
      in_.append(buffer, static_cast<std::size_t>(read));
      got = true;
      if (static_cast<std::size_t>(read) < sizeof buffer) return true;
      continue;
    }
    if (read < 0 && errno == EINTR) continue;
    if (read < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    fail(read == 0 ? std::string("server closed the connection")
                   : std::string("read: ") + std::strerror(errno));
    return false;
  }
}

bool WsClient::read_tls(bool& got) {
  char buffer[read_chunk];
  for (;;) {
    ERR_clear_error();
    const int read = SSL_read(ssl_, buffer, sizeof buffer);
    if (read > 0) {
      in_.append(buffer, static_cast<std::size_t>(read));
      got = true;
      continue;
    }
    const int error = SSL_get_error(ssl_, read);
    if (error == SSL_ERROR_WANT_READ) break;
    if (error == SSL_ERROR_WANT_WRITE) {
      want_write_ = true;
      break;
    }
    if (error == SSL_ERROR_ZERO_RETURN) {
      fail("server closed the TLS connection");
      return false;
    }
    fail("TLS read: " + openssl_error());
    return false;
  }
  return true;
}

// TCP reports the receive time of the (first) segment a recvmsg reads; peeking one byte reads
// nothing away from OpenSSL. The stamp is CLOCK_REALTIME: its age now, taken off the steady
// clock, gives the steady time of arrival.
std::optional<Clock::time_point> WsClient::kernel_arrival() const {
  char byte = 0;
  iovec vector{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  if (::recvmsg(fd_, &message, MSG_PEEK | MSG_DONTWAIT) <= 0) return std::nullopt;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
    timespec real_now{};
    ::clock_gettime(CLOCK_REALTIME, &real_now);
    const Clock::time_point steady_now = Clock::now();
    const std::int64_t age_ns =
        (real_now.tv_sec - stamp.tv_sec) * 1'000'000'000LL + (real_now.tv_nsec - stamp.tv_nsec);
    return steady_now - std::chrono::nanoseconds(std::max<std::int64_t>(age_ns, 0));
  }
  return std::nullopt;
}

void WsClient::parse_upgrade() {
  const std::size_t end = in_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (in_.size() > 16 * 1024) fail("upgrade response too large");
    return;
  }
  if (in_.compare(0, 12, "HTTP/1.1 101") != 0)
    return fail("upgrade refused: " + in_.substr(0, in_.find("\r\n")));
  in_.erase(0, end + 4);
  state_ = State::open;
  handler_.on_open(*this);
}

void WsClient::parse_frames(Clock::time_point at) {
  std::size_t position = 0;
  while (state_ == State::open) {
    const std::size_t available = in_.size() - position;
    if (available < 2) break;
    const auto* bytes = reinterpret_cast<const unsigned char*>(in_.data() + position);
    const bool fin = (bytes[0] & 0x80) != 0;
    const std::uint8_t opcode = bytes[0] & 0x0F;
    if ((bytes[1] & 0x80) != 0) return fail("server sent a masked frame");
    std::uint64_t size = bytes[1] & 0x7F;
    std::size_t header = 2;
    if (size == 126) {
      if (available < 4) break;
      size = (static_cast<std::uint64_t>(bytes[2]) << 8) | bytes[3];
      header = 4;
    } else if (size == 127) {
      if (available < 10) break;
      size = 0;
      for (int i = 2; i < 10; ++i) size = (size << 8) | bytes[i];
      header = 10;
    }
    if (size > max_message_bytes) return fail("server frame too large");
    if (available < header + size) break;
    const std::string_view payload(in_.data() + position + header, static_cast<std::size_t>(size));
    position += header + static_cast<std::size_t>(size);
    if (opcode == op_binary || opcode == op_text) {
      if (fin) {
        handler_.on_message(*this, payload, at);
      } else {
        fragments_.assign(payload);
      }
    } else if (opcode == op_continuation) {
      fragments_.append(payload);
      if (fin) {
        std::string message;
        message.swap(fragments_);
        handler_.on_message(*this, message, at);
      }
    } else if (opcode == op_close) {
      std::string reason = payload.size() > 2 ? std::string(payload.substr(2)) : std::string();
      return fail("server closed the WebSocket: " + reason);
    } else if (opcode == op_ping) {
      append_frame(0xA, payload);
      flush();
    }
  }
  if (state_ == State::open) in_.erase(0, position);
}

void WsClient::update_interest() {
  if (want_write_ == interest_write_ || fd_ < 0) return;
  interest_write_ = want_write_;
  loop_.modify(fd_, *this, EPOLLIN | (want_write_ ? EPOLLOUT : 0u));
}

}  // namespace bulwark::loadgen
