#include "support/https_get.h"

#include "support/tls_run.h"  // first: it includes <utility> before Asio

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace bulwark::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpResult https_get(std::uint16_t port, const std::filesystem::path& ca_file,
                     const std::string& target, std::chrono::milliseconds timeout,
                     std::size_t extra_header_bytes) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (extra_header_bytes > 0) headers.emplace_back("X-Padding", std::string(extra_header_bytes, 'p'));
  return https_request(port, ca_file, "GET", target, headers, "", timeout);
}

HttpResult https_request(std::uint16_t port, const std::filesystem::path& ca_file,
                         const std::string& method, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         const std::string& body, std::chrono::milliseconds timeout) {
  HttpResult result;
  try {
    asio::io_context io;
    auto tls = detail::client_tls(ca_file);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    auto abort = [&] {
      beast::error_code ignored;
      beast::get_lowest_layer(stream).socket().close(ignored);
    };
    auto step = [&](const char* what, auto&& start) -> bool {
      auto error = detail::run_with_deadline(io, timeout, start, abort);
      if (!error)
        result.error = std::string(what) + ": timed out";
      else if (*error)
        result.error = std::string(what) + ": " + error->message();
      return error && !*error;
    };
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    if (!step("connect", [&](auto handler) {
          beast::get_lowest_layer(stream).async_connect(endpoint, handler);
        })) {
      return result;
    }
    if (!step("TLS handshake", [&](auto handler) {
          stream.async_handshake(asio::ssl::stream_base::client, handler);
        })) {
      return result;
    }
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.keep_alive(false);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method != "GET") {
      request.body() = body;
      request.prepare_payload();
    }
    if (!step("write", [&](auto handler) { http::async_write(stream, request, handler); })) {
      return result;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (!step("read", [&](auto handler) { http::async_read(stream, buffer, parser, handler); })) {
      return result;
    }
    result.status = static_cast<int>(parser.get().result_int());
    result.body = parser.get().body();
    abort();
  } catch (const std::exception& error) {
    result.status = 0;
    result.error = error.what();
  }
  return result;
}

}  // namespace bulwark::e2e
