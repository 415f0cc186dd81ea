#include "support/raw_websocket.h"

#include "support/tls_run.h"  // first: it includes <utility> before Asio

#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace bulwark::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

struct RawWebSocket::Impl {
  explicit Impl(const std::filesystem::path& ca_file)
      : tls(detail::client_tls(ca_file)), ws(io, tls) {}

  void abort() {
    broken = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
  }

  // "" when the operation succeeded.
  template <class Start>
  std::string run(const char* what, std::chrono::milliseconds timeout, Start&& start) {
    if (broken) return std::string(what) + ": the connection is already gone";
    auto error = detail::run_with_deadline(io, timeout, start, [this] { abort(); });
    if (!error) return std::string(what) + ": timed out";
    if (*error) return std::string(what) + ": " + error->message();
    return {};
  }

  asio::io_context io;
  asio::ssl::context tls;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  bool broken = false;
  std::vector<std::string> pongs;
};

std::string WsRead::describe() const {
  switch (kind) {
    case Kind::message:
      return std::string(binary ? "binary" : "text") + " message of " +
             std::to_string(data.size()) + " bytes";
    case Kind::closed:
      return "closed by the server (code " + std::to_string(close_code) + ", reason \"" +
             close_reason + "\")";
    case Kind::error:
      return "connection error: " + error;
    case Kind::timeout:
      return "nothing within the timeout";
  }
  return "?";
}

RawWebSocket::RawWebSocket(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RawWebSocket::~RawWebSocket() { impl_->abort(); }

std::unique_ptr<RawWebSocket> RawWebSocket::connect(std::uint16_t port,
                                                    const std::filesystem::path& ca_file,
                                                    std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>(ca_file);
  Impl& i = *impl;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  std::string error = i.run("connect", timeout, [&](auto handler) {
    beast::get_lowest_layer(i.ws).async_connect(endpoint, handler);
  });
  if (error.empty()) {
    error = i.run("TLS handshake", timeout, [&](auto handler) {
      i.ws.next_layer().async_handshake(asio::ssl::stream_base::client, handler);
    });
  }
  if (error.empty()) {
    // Accept anything from the server: this client is for observing, not for limiting.
    i.ws.read_message_max(64 * 1024 * 1024);
    i.ws.control_callback([&i](websocket::frame_type kind, beast::string_view payload) {
      if (kind == websocket::frame_type::pong) i.pongs.emplace_back(payload.data(), payload.size());
    });
    i.ws.auto_fragment(false);
    error = i.run("WebSocket handshake", timeout, [&](auto handler) {
      i.ws.async_handshake("127.0.0.1:" + std::to_string(port), "/v1/websocket", handler);
    });
  }
  if (!error.empty())
    throw std::runtime_error("RawWebSocket to port " + std::to_string(port) + ": " + error);
  return std::unique_ptr<RawWebSocket>(new RawWebSocket(std::move(impl)));
}

std::string RawWebSocket::write_binary(std::string_view data, std::chrono::milliseconds timeout) {
  impl_->ws.binary(true);
  return impl_->run("write", timeout, [&](auto handler) {
    impl_->ws.async_write(asio::buffer(data.data(), data.size()), handler);
  });
}

std::string RawWebSocket::write_text(std::string_view data, std::chrono::milliseconds timeout) {
  impl_->ws.text(true);
  return impl_->run("write", timeout, [&](auto handler) {
    impl_->ws.async_write(asio::buffer(data.data(), data.size()), handler);
  });
}

std::string RawWebSocket::ping(std::string_view payload, std::chrono::milliseconds timeout) {
  websocket::ping_data data(payload.data(), payload.size());
  return impl_->run("ping", timeout, [&](auto handler) { impl_->ws.async_ping(data, handler); });
}

const std::vector<std::string>& RawWebSocket::pongs() const { return impl_->pongs; }

std::string RawWebSocket::close(int code, std::chrono::milliseconds timeout) {
  websocket::close_reason reason(static_cast<std::uint16_t>(code));
  return impl_->run("close", timeout, [&](auto handler) { impl_->ws.async_close(reason, handler); });
}

WsRead RawWebSocket::read(std::chrono::milliseconds timeout) {
  WsRead result;
  Impl& i = *impl_;
  if (i.broken) {
    result.kind = WsRead::Kind::error;
    result.error = "the connection is already gone";
    return result;
  }
  i.buffer.clear();
  auto error = detail::run_with_deadline(
      i.io, timeout, [&](auto handler) { i.ws.async_read(i.buffer, handler); }, [&] { i.abort(); });
  if (!error) {
    result.kind = WsRead::Kind::timeout;
  } else if (*error == websocket::error::closed) {
    result.kind = WsRead::Kind::closed;
    result.close_code = static_cast<int>(i.ws.reason().code);
    result.close_reason = std::string(i.ws.reason().reason.c_str());
    i.broken = true;
  } else if (*error) {
    result.kind = WsRead::Kind::error;
    result.error = error->message();
    i.broken = true;
  } else {
    result.kind = WsRead::Kind::message;
    result.binary = i.ws.got_binary();
    result.data = beast::buffers_to_string(i.buffer.data());
  }
  return result;
}

}  // namespace bulwark::e2e
