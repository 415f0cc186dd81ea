#include "server/ws_session.h"

#include <deque>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "api/limits.h"
#include "server/device_session.h"

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;

class WsSession final : public Connection {
 public:
  WsSession(TlsStream stream, ServerContext& context, std::string remote_ip)
      : ws_(std::move(stream)),
        context_(context),
        remote_ip_(std::move(remote_ip)),
        auth_timer_(ws_.get_executor()),
        session_(context, *this) {
    context_.metrics.connections_open++;
  }
  ~WsSession() override { context_.metrics.connections_open--; }

  void run(http::request<http::string_body> upgrade) {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = context_.config.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(api::max_frame_bytes);
    ws_.binary(true);
    ws_.async_accept(upgrade, beast::bind_front_handler(&WsSession::on_accept, shared()));
  }

  void post(std::function<void()> fn) override {
    asio::post(ws_.get_executor(), [self = shared(), fn = std::move(fn)] {
      if (!self->closed_) fn();
    });
  }

  bool write(std::shared_ptr<const std::string> frame) override {
    if (closing_) return false;
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    if (queued_bytes_ > context_.config.max_outgoing_queue_bytes) {
      context_.metrics.slow_consumers_closed++;
      queue_.clear();
      queued_bytes_ = 0;
      close("reading too slowly: reconnect to drain the queue");
      return false;
    }
    if (!writing_) do_write();
    return true;
  }

  std::size_t queued_write_bytes() const override { return queued_bytes_; }

  void close(std::string_view reason) override {
    if (closing_) return;
    closing_ = true;
    close_reason_ = std::string(reason.substr(0, 120));
    if (!writing_) do_close();  // else after the queued frames are written
  }

  const std::string& remote_ip() const override { return remote_ip_; }
  ByteView tls_exporter() const override { return exporter_; }
  DeviceSession& session() override { return session_; }

 private:
  std::shared_ptr<WsSession> shared() {
    return std::static_pointer_cast<WsSession>(shared_from_this());
  }

  void on_accept(beast::error_code error) {
    if (error) return finish();
    context_.registry.track(shared_from_this());
    tracked_ = true;
    SSL* ssl = ws_.next_layer().native_handle();
    auto label = api::auth_exporter_label;
    if (SSL_export_keying_material(ssl, reinterpret_cast<unsigned char*>(exporter_.data()),
                                   exporter_.size(), label.data(), label.size(), nullptr, 0,
                                   0) != 1) {
      return finish();
    }
    session_.start();
    arm_auth_timer();
    do_read();
  }

  void arm_auth_timer() {
    auth_timer_.expires_after(context_.config.auth_timeout);
    auth_timer_.async_wait([self = shared()](beast::error_code error) {
      if (error || self->session_.device()) return;
      self->close("authentication timed out");
    });
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared()));
  }

  void on_read(beast::error_code error, std::size_t bytes) {
    if (error) return finish();
    if (!ws_.got_binary()) {
      close("text frames are not part of the protocol");
      return;
    }
    bool was_authenticated = session_.device().has_value();
    auto data = buffer_.cdata();
    session_.on_message(std::string_view(static_cast<const char*>(data.data()), bytes));
    buffer_.consume(bytes);
    // A large frame grows the buffer; an idle connection should not keep that memory.
    if (buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
    if (!was_authenticated && !session_.device()) arm_auth_timer();
    if (!closed_) do_read();
  }

  void do_write() {
    if (queue_.empty()) {
      writing_ = false;
      if (closing_) do_close();
      return;
    }
    writing_ = true;
    ws_.async_write(asio::buffer(*queue_.front()),
                    beast::bind_front_handler(&WsSession::on_write, shared()));
  }

  void on_write(beast::error_code error, std::size_t) {
    if (error) return finish();
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
    do_write();
  }

  void do_close() {
    if (close_started_ || closed_) return;
    close_started_ = true;
    ws_.async_close(websocket::close_reason(websocket::close_code::going_away, close_reason_),
                    [self = shared()](beast::error_code) { self->finish(); });
  }

  // The connection is over, however it ended.
  void finish() {
    if (closed_) return;
    closed_ = true;
    closing_ = true;
    auth_timer_.cancel();
    session_.stop();
    if (tracked_) context_.registry.untrack(this);
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  websocket::stream<TlsStream> ws_;
  ServerContext& context_;
  std::string remote_ip_;
  asio::steady_timer auth_timer_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_started_ = false;
  bool closed_ = false;
  bool tracked_ = false;
  std::string close_reason_;
  std::array<std::byte, api::auth_exporter_bytes> exporter_{};
  DeviceSession session_;
};

}  // namespace

void start_ws_session(TlsStream stream, http::request<http::string_body> upgrade,
                      ServerContext& context, std::string remote_ip) {
  auto session = std::make_shared<WsSession>(std::move(stream), context, std::move(remote_ip));
  session->run(std::move(upgrade));
}

}  // namespace bulwark::server
