#include "witness/https_client.h"

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

namespace bulwark::witness {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view user_agent = "bulwark-witness";

}  // namespace

struct HttpsClient::Impl {
  ServerUrl server;
  HttpsOptions options;
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::optional<Stream> stream;
  beast::flat_buffer buffer;

  Result<void> configure();
  // Runs one asynchronous operation to completion on `io`: Beast's timeouts (tcp_stream's
  // expiry) apply only to asynchronous operations, so the synchronous API is built on them.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    std::forward<Start>(start)([&result](beast::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }
  Result<void> connect();
  Result<HttpResponse> exchange(const http::request<http::string_body>& request,
                                std::size_t max_body_bytes);
  Result<HttpResponse> send(http::request<http::string_body> request, std::size_t max_body_bytes);
  Error network_error(std::string_view what, const beast::error_code& error) const {
    return Error{Errc::network, std::string(what) + " " + server.host + ":" + server.port + ": " +
                                    error.message()};
  }
};

Result<void> HttpsClient::Impl::configure() {
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  if (!options.ca_file) {
    tls.set_verify_mode(asio::ssl::verify_none);  // see https_client.h for why this is safe
    return {};
  }
  boost::system::error_code error;
  tls.load_verify_file(options.ca_file->string(), error);
  if (error) return fail(Errc::invalid_argument, "cannot load CA file " + options.ca_file->string());
  tls.set_verify_mode(asio::ssl::verify_peer);
  return {};
}

Result<void> HttpsClient::Impl::connect() {
  stream.reset();
  buffer.clear();
  tcp::resolver resolver(io);
  tcp::resolver::results_type endpoints;
  if (auto error = run([&](auto handler) {
        resolver.async_resolve(server.host, server.port,
                               [&endpoints, handler](beast::error_code e, auto results) mutable {
                                 endpoints = results;
                                 handler(e);
                               });
      }))
    return tl::unexpected(network_error("cannot resolve", error));
  stream.emplace(io, tls);
  boost::system::error_code not_an_address;
  asio::ip::make_address(server.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream->native_handle(), server.host.c_str()))
    return fail(Errc::internal, "cannot set the TLS server name");  // SNI is for names only
  if (options.ca_file) stream->set_verify_callback(asio::ssl::host_name_verification(server.host));
  auto& socket = beast::get_lowest_layer(*stream);
  socket.expires_after(options.timeout);
  if (auto error = run([&](auto handler) { socket.async_connect(endpoints, handler); }))
    return tl::unexpected(network_error("cannot connect to", error));
  socket.expires_after(options.timeout);
  if (auto error = run([&](auto handler) {
        stream->async_handshake(asio::ssl::stream_base::client, handler);
      }))
    return tl::unexpected(network_error("TLS handshake failed with", error));
  return {};
}

Result<HttpResponse> HttpsClient::Impl::exchange(const http::request<http::string_body>& request,
                                                 std::size_t max_body_bytes) {
  auto& socket = beast::get_lowest_layer(*stream);
  socket.expires_after(options.timeout);
  if (auto error = run([&](auto handler) { http::async_write(*stream, request, handler); }))
    return tl::unexpected(network_error("cannot send to", error));
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  socket.expires_after(options.timeout);
  if (auto error = run([&](auto handler) { http::async_read(*stream, buffer, parser, handler); }))
    return tl::unexpected(network_error("no valid response from", error));
  socket.expires_never();
  auto response = parser.release();
  if (!response.keep_alive()) stream.reset();
  return HttpResponse{response.result_int(), std::move(response.body())};
}

Result<HttpResponse> HttpsClient::Impl::send(http::request<http::string_body> request,
                                             std::size_t max_body_bytes) {
  const bool ipv6 = server.host.find(':') != std::string::npos;
  request.set(http::field::host,
              (ipv6 ? "[" + server.host + "]" : server.host) + ":" + server.port);
  request.set(http::field::user_agent, std::string(user_agent));
  request.keep_alive(true);
  request.prepare_payload();
  // A kept-alive connection the server has since closed fails on first use: retry once on a
  // fresh one (every request here is idempotent).
  if (stream) {
    auto response = exchange(request, max_body_bytes);
    if (response) return response;
  }
  BULWARK_TRY(connect());
  auto response = exchange(request, max_body_bytes);
  if (!response) stream.reset();
  return response;
}

Result<HttpsClient> HttpsClient::create(ServerUrl server, HttpsOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->server = std::move(server);
  impl->options = std::move(options);
  BULWARK_TRY(impl->configure());
  return HttpsClient(std::move(impl));
}

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;
HttpsClient::~HttpsClient() = default;

Result<HttpResponse> HttpsClient::get(std::string_view target, std::size_t max_body_bytes) {
  http::request<http::string_body> request{http::verb::get, std::string(target), 11};
  return impl_->send(std::move(request), max_body_bytes);
}

Result<HttpResponse> HttpsClient::post(std::string_view target, std::string_view content_type,
                                       std::string body, std::size_t max_body_bytes) {
  http::request<http::string_body> request{http::verb::post, std::string(target), 11};
  request.set(http::field::content_type, std::string(content_type));
  request.body() = std::move(body);
  return impl_->send(std::move(request), max_body_bytes);
}

}  // namespace bulwark::witness
