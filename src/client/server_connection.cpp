#include "client/server_connection.h"

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

#include "api/limits.h"

namespace bulwark::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

}  // namespace

std::string ServerAddress::url() const {
  bool v6 = host.find(':') != std::string::npos;
  return "wss://" + (v6 ? "[" + host + "]" : host) + ":" + port + path;
}

Result<ServerAddress> parse_server_url(std::string_view url) {
  constexpr std::string_view scheme = "wss://";
  if (url.substr(0, scheme.size()) != scheme)
    return fail(Errc::invalid_argument, "the server URL must start with wss://");
  std::string_view rest = url.substr(scheme.size());
  ServerAddress address;
  auto slash = rest.find('/');
  if (slash != std::string_view::npos) {
    address.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return fail(Errc::invalid_argument, "unclosed [ in server URL");
    address.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return fail(Errc::invalid_argument, "bad server URL");
    address.port = rest.empty() ? "443" : std::string(rest.substr(1));
  } else {
    auto colon = rest.rfind(':');
    address.host = std::string(rest.substr(0, colon));
    address.port = colon == std::string_view::npos ? "443" : std::string(rest.substr(colon + 1));
  }
  if (address.host.empty() || address.port.empty() ||
      address.port.find_first_not_of("0123456789") != std::string::npos || address.port.size() > 5)
    return fail(Errc::invalid_argument, "bad host or port in server URL");
  // A host is a name or an IPv4 address, or an IPv6 address in brackets; anything else (a
  // stray ':' or ']', bytes outside ASCII) would not survive url() and back (client_decode_fuzz).
  bool bracketed = url.substr(scheme.size()).starts_with('[');
  std::string_view allowed = bracketed ? "0123456789abcdefABCDEF:." :
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
  if (address.host.find_first_not_of(allowed) != std::string::npos || address.host.size() > 253 ||
      (bracketed && address.host.find(':') == std::string::npos))
    return fail(Errc::invalid_argument, "bad host in server URL");
  for (char c : address.path) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail(Errc::invalid_argument, "bad path in server URL");
  }
  return address;
}

struct ServerConnection::Impl : std::enable_shared_from_this<Impl> {
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws;
  tcp::resolver resolver{io};
  beast::flat_buffer buffer;
  std::thread thread;
  // Keeps io.run() going while the connection is idle (reads paused, nothing to write).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  ServerAddress address;

  std::mutex mutex;
  std::condition_variable pushes_ready;
  std::deque<api::Push> pushes;
  std::map<std::uint64_t, std::promise<Result<api::Response>>> pending;
  std::deque<std::shared_ptr<std::string>> writes;
  bool writing = false;
  bool reading_paused = false;
  bool closed = false;
  std::string close_reason;
  std::atomic<std::uint64_t> next_id{1};
  std::promise<Result<void>> opened;
  bool open_done = false;
  Bytes nonce;
  std::array<std::byte, api::auth_exporter_bytes> exporter{};

  Result<void> configure(const TlsTrust& trust);
  void start(std::chrono::milliseconds timeout);
  void on_connected();
  void do_read();
  void on_frame(std::string_view bytes);
  void fail_all(std::string reason);
  void send(std::shared_ptr<std::string> frame);
  void do_write();
};

Result<void> ServerConnection::Impl::configure(const TlsTrust& trust) {
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION);
  boost::system::error_code error;
  if (trust.ca_file) {
    tls.load_verify_file(trust.ca_file->string(), error);
    if (error) return fail(Errc::invalid_argument, "cannot load CA file " + trust.ca_file->string());
  } else {
    tls.set_default_verify_paths(error);
    if (error) return fail(Errc::internal, "cannot load the system's CA certificates");
  }
  tls.set_verify_mode(asio::ssl::verify_peer);
  return {};
}

void ServerConnection::Impl::start(std::chrono::milliseconds timeout) {
  ws.emplace(asio::make_strand(io), tls);
  auto& ssl = ws->next_layer();
  SSL_set_tlsext_host_name(ssl.native_handle(), address.host.c_str());
  ssl.set_verify_callback(asio::ssl::host_name_verification(address.host));
  beast::get_lowest_layer(*ws).expires_after(timeout);
  auto self = shared_from_this();
  resolver.async_resolve(address.host, address.port, [self](beast::error_code resolved,
                                                             tcp::resolver::results_type results) {
    if (resolved) return self->fail_all("cannot resolve " + self->address.host + ": " + resolved.message());
    beast::get_lowest_layer(*self->ws).async_connect(results, [self](beast::error_code connected,
                                                                     const tcp::endpoint&) {
      if (connected)
        return self->fail_all("cannot connect to " + self->address.url() + ": " + connected.message());
      self->ws->next_layer().async_handshake(asio::ssl::stream_base::client, [self](beast::error_code shaken) {
        if (shaken)
          return self->fail_all("TLS handshake with " + self->address.url() + " failed: " + shaken.message());
        self->ws->async_handshake(self->address.host, self->address.path, [self](beast::error_code upgraded) {
          if (upgraded) return self->fail_all("WebSocket handshake failed: " + upgraded.message());
          self->on_connected();
        });
      });
    });
  });
}

void ServerConnection::Impl::on_connected() {
  beast::get_lowest_layer(*ws).expires_never();
  websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  ws->set_option(timeouts);
  ws->read_message_max(api::max_frame_bytes);
  ws->binary(true);
  auto label = api::auth_exporter_label;
  SSL_export_keying_material(ws->next_layer().native_handle(),
                             reinterpret_cast<unsigned char*>(exporter.data()), exporter.size(),
                             label.data(), label.size(), nullptr, 0, 0);
  do_read();
}

void ServerConnection::Impl::do_read() {
  ws->async_read(buffer, [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
    if (error) {
      const auto& said = self->ws->reason().reason;
      std::string reason = said.empty() ? error.message() : std::string(said.data(), said.size());
      return self->fail_all("connection closed: " + reason);
    }
    auto data = self->buffer.cdata();
    self->on_frame(std::string_view(static_cast<const char*>(data.data()), bytes));
    self->buffer.consume(bytes);
    std::lock_guard lock(self->mutex);
    if (self->pushes.size() >= max_queued_pushes) {
      self->reading_paused = true;  // resumed by next_push()
      return;
    }
    if (!self->closed) self->do_read();
  });
}

void ServerConnection::Impl::on_frame(std::string_view bytes) {
  api::Frame frame;
  if (!frame.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  std::lock_guard lock(mutex);
  if (frame.has_response()) {
    auto it = pending.find(frame.response().id());
    if (it == pending.end()) return;  // its caller gave up waiting
    it->second.set_value(std::move(*frame.mutable_response()));
    pending.erase(it);
    return;
  }
  if (!frame.has_push()) return;
  if (frame.push().has_challenge() && !open_done) {
    const std::string& value = frame.push().challenge().nonce();
    nonce.assign(reinterpret_cast<const std::byte*>(value.data()),
                 reinterpret_cast<const std::byte*>(value.data()) + value.size());
    open_done = true;
    opened.set_value({});
    return;
  }
  pushes.push_back(std::move(*frame.mutable_push()));
  pushes_ready.notify_one();
}

void ServerConnection::Impl::fail_all(std::string reason) {
  std::lock_guard lock(mutex);
  if (closed) return;
  closed = true;
  close_reason = reason;
  for (auto& [id, promise] : pending) promise.set_value(fail(Errc::network, reason));
  pending.clear();
  if (!open_done) {
    open_done = true;
    opened.set_value(fail(Errc::network, reason));
  }
  pushes_ready.notify_all();
  beast::error_code ignored;
  beast::get_lowest_layer(*ws).socket().close(ignored);
  work.reset();
}

void ServerConnection::Impl::send(std::shared_ptr<std::string> frame) {
  asio::post(ws->get_executor(), [self = shared_from_this(), frame] {
    self->writes.push_back(frame);
    if (!self->writing) self->do_write();
  });
}

void ServerConnection::Impl::do_write() {
  if (writes.empty()) {
    writing = false;
    return;
  }
  writing = true;
  ws->async_write(asio::buffer(*writes.front()), [self = shared_from_this()](beast::error_code error,
                                                                           std::size_t) {
    if (error) return self->fail_all("write failed: " + error.message());
    self->writes.pop_front();
    self->do_write();
  });
}

ServerConnection::ServerConnection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<ServerConnection>> ServerConnection::open(const ServerAddress& address,
                                                                 const TlsTrust& trust,
                                                                 std::chrono::milliseconds timeout) {
  auto impl = std::make_shared<Impl>();
  impl->address = address;
  BULWARK_TRY(impl->configure(trust));
  auto opened = impl->opened.get_future();
  impl->work.emplace(impl->io.get_executor());
  impl->start(timeout);
  impl->thread = std::thread([raw = impl.get()] { raw->io.run(); });
  std::unique_ptr<ServerConnection> connection(new ServerConnection(impl));
  if (opened.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready)
    return fail(Errc::network, "timed out connecting to " + address.url());
  BULWARK_TRY(opened.get());
  return connection;
}

ServerConnection::~ServerConnection() {
  auto impl = impl_;
  asio::post(impl->ws->get_executor(), [impl] {
    bool was_closed;
    {
      std::lock_guard lock(impl->mutex);
      was_closed = impl->closed;
    }
    if (was_closed) return;
    beast::get_lowest_layer(*impl->ws).expires_after(std::chrono::seconds(2));
    impl->ws->async_close(websocket::close_code::normal, [impl](beast::error_code) {
      impl->fail_all("closed by the client");
    });
  });
  if (impl->thread.joinable()) impl->thread.join();
}

Result<api::Response> ServerConnection::call(api::Request request,
                                             std::chrono::milliseconds timeout) {
  std::uint64_t id = impl_->next_id++;
  request.set_id(id);
  std::future<Result<api::Response>> answer;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->closed) return fail(Errc::network, impl_->close_reason);
    answer = impl_->pending[id].get_future();
  }
  api::Frame frame;
  *frame.mutable_request() = std::move(request);
  auto bytes = std::make_shared<std::string>(frame.SerializeAsString());
  impl_->send(std::move(bytes));
  if (answer.wait_for(timeout) != std::future_status::ready) {
    std::lock_guard lock(impl_->mutex);
    impl_->pending.erase(id);
    return fail(Errc::network, "no answer from the server within the timeout");
  }
  return answer.get();
}

Result<std::optional<api::Push>> ServerConnection::next_push(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  impl_->pushes_ready.wait_for(lock, timeout, [this] { return !impl_->pushes.empty() || impl_->closed; });
  if (impl_->pushes.empty()) {
    if (impl_->closed) return fail(Errc::network, impl_->close_reason);
    return std::optional<api::Push>();
  }
  api::Push push = std::move(impl_->pushes.front());
  impl_->pushes.pop_front();
  if (impl_->reading_paused && !impl_->closed) {
    impl_->reading_paused = false;
    asio::post(impl_->ws->get_executor(), [impl = impl_] { impl->do_read(); });
  }
  return std::optional<api::Push>(std::move(push));
}

Result<void> ServerConnection::ack(std::span<const std::string> envelope_ids) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->closed) return fail(Errc::network, impl_->close_reason);
  }
  for (std::size_t start = 0; start < envelope_ids.size(); start += api::max_acks_per_frame) {
    api::Frame frame;
    auto end = std::min(envelope_ids.size(), start + api::max_acks_per_frame);
    for (std::size_t i = start; i < end; ++i) frame.mutable_ack()->add_envelope_ids(envelope_ids[i]);
    impl_->send(std::make_shared<std::string>(frame.SerializeAsString()));
  }
  return {};
}

ByteView ServerConnection::challenge_nonce() const { return impl_->nonce; }
ByteView ServerConnection::tls_exporter() const { return view_of(impl_->exporter); }

bool ServerConnection::is_open() const {
  std::lock_guard lock(impl_->mutex);
  return !impl_->closed;
}

}  // namespace bulwark::client
