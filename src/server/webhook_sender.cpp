// The webhook code sender over Boost.Beast. Beast's blocking calls ignore tcp_stream's
// deadline, so every step runs as an asynchronous operation on a private io_context that send()
// drives to completion: blocking for the caller, bounded by the stream's deadline.
#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include "server/webhook_sender.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <type_traits>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// A gateway's answer is a status line and a little text; anything larger is not an answer.
constexpr std::uint64_t max_response_body_bytes = 64 * 1024;

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Runs `ioc` until the operation `start` began has completed. The handler ignores everything
// but the error code; operations that yield a value capture it themselves.
template <class Start>
beast::error_code run_one(asio::io_context& ioc, Start&& start) {
  beast::error_code result = asio::error::would_block;
  std::forward<Start>(start)([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

class Exchange {
 public:
  Exchange(const WebhookUrl& url, std::chrono::milliseconds timeout)
      : url_(url),
        timeout_(timeout),
        where_("webhook " + url.host + ":" + std::to_string(url.port)) {}

  Result<tcp::resolver::results_type> resolve() {
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type endpoints;
    const auto ec = run_one(ioc_, [&](auto handler) {
      resolver.async_resolve(url_.host, std::to_string(url_.port),
                             [&endpoints, handler](beast::error_code error, auto results) mutable {
                               endpoints = std::move(results);
                               handler(error);
                             });
    });
    if (ec) return failure("cannot resolve host", ec);
    return endpoints;
  }

  // Connect, handshake (TLS), write, read; the whole exchange shares one deadline.
  template <class Stream>
  Result<unsigned> post(Stream& stream, const tcp::resolver::results_type& endpoints,
                        const http::request<http::string_body>& request) {
    beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(timeout_);
    auto ec = run_one(ioc_, [&](auto handler) { lowest.async_connect(endpoints, handler); });
    if (ec) return failure("connect failed", ec);
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      ec = run_one(
          ioc_, [&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); });
      if (ec) return failure("TLS handshake failed", ec);
    }
    ec = run_one(ioc_, [&](auto handler) { http::async_write(stream, request, handler); });
    if (ec) return failure("request failed", ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_body_bytes);
    ec = run_one(ioc_, [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
    if (ec) return failure("no valid response", ec);
    // The response is complete: a TLS close_notify would only add a round trip that a
    // misbehaving gateway could stall, so the connection is simply closed.
    lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
    return parser.get().result_int();
  }

  asio::io_context& io() { return ioc_; }
  const std::string& where() const { return where_; }

  [[nodiscard]] tl::unexpected<Error> failure(std::string_view what, beast::error_code ec) const {
    if (ec == beast::error::timeout) {
      return fail(Errc::network,
                  where_ + ": timed out after " + std::to_string(timeout_.count()) + " ms");
    }
    return fail(Errc::network, where_ + ": " + std::string(what) + ": " + ec.message());
  }

 private:
  const WebhookUrl& url_;
  std::chrono::milliseconds timeout_;
  std::string where_;
  asio::io_context ioc_;
};

// Protocol floor and trust anchors live in the context and must be set before any stream is
// made from it (SSL_new copies the protocol bounds).
Result<void> configure_tls_context(ssl::context& context, const std::string& trust_pem) {
  beast::error_code ec;
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    return fail(Errc::internal, "webhook: cannot set the TLS protocol floor");
  }
  if (trust_pem.empty()) {
    context.set_default_verify_paths(ec);
  } else {
    context.add_certificate_authority(asio::buffer(trust_pem), ec);
  }
  if (ec) return fail(Errc::internal, "webhook: cannot load trust anchors: " + ec.message());
  context.set_verify_mode(ssl::verify_peer);
  return {};
}

// SNI carries DNS names only (RFC 6066); an IP host is matched against IP SAN entries, a DNS
// host against DNS SAN entries, by OpenSSL during the handshake.
Result<void> expect_host(ssl::stream<beast::tcp_stream>& stream, const std::string& host) {
  SSL* handle = stream.native_handle();
  const bool name_set =
      is_ip_literal(host) ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), host.c_str()) == 1
                          : SSL_set_tlsext_host_name(handle, host.c_str()) == 1 &&
                                SSL_set1_host(handle, host.c_str()) == 1;
  if (!name_set) return fail(Errc::internal, "webhook: cannot set the expected TLS host name");
  return {};
}

std::string host_header(const WebhookUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + url.host + "]" : url.host;
  const bool default_port = url.port == (url.tls ? 443 : 80);
  return default_port ? host : host + ":" + std::to_string(url.port);
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

Result<WebhookUrl> parse_webhook_url(std::string_view url) {
  const auto bad = [](std::string_view why) {
    return fail(Errc::invalid_argument, "webhook URL " + std::string(why));
  };
  WebhookUrl out;
  if (url.starts_with("https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return bad("must start with http:// or https://");
  }
  if (std::any_of(url.begin(), url.end(), [](char c) { return c <= ' ' || c > '~' || c == '#'; })) {
    return bad("has spaces, control characters or a fragment");
  }
  const auto authority_end = std::min(url.find('/'), url.find('?'));
  std::string_view authority = url.substr(0, authority_end);
  const std::string_view target =
      authority_end == std::string_view::npos ? "" : url.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return bad("must not carry user info");
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [");
    out.host = std::string(authority.substr(1, close - 1));
    if (!is_ip_literal(out.host) || out.host.find(':') == std::string::npos) {
      return bad("has a malformed IPv6 address");
    }
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return bad("has text after ]");
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (out.host.empty() || !std::all_of(out.host.begin(), out.host.end(), valid_host_char)) {
      return bad("has no valid host");
    }
  }
  out.port = out.tls ? 443 : 80;
  if (port) {
    const bool digits =
        !port->empty() && port->size() <= 5 &&
        std::all_of(port->begin(), port->end(), [](char c) { return c >= '0' && c <= '9'; });
    const unsigned long value = digits ? std::stoul(std::string(*port)) : 0;
    if (value == 0 || value > 65535) return bad("has no valid port");
    out.port = static_cast<std::uint16_t>(value);
  }
  out.target = target.empty() ? "/" : std::string(target);
  if (out.target.front() == '?') out.target.insert(0, "/");
  return out;
}

WebhookSender::WebhookSender(WebhookUrl url, std::chrono::milliseconds timeout,
                             std::string trust_pem)
    : url_(std::move(url)), timeout_(timeout), trust_pem_(std::move(trust_pem)) {}

// Without the query: gateways often take their API key there, and the banner is logged.
std::string WebhookSender::describe() const {
  const std::string path = url_.target.substr(0, url_.target.find('?'));
  return std::string("webhook ") + (url_.tls ? "https://" : "http://") + host_header(url_) + path;
}

Result<void> WebhookSender::send(std::string_view e164, std::string_view code) {
  // Asio throws only when the system is out of resources (a resolver thread, an SSL_CTX), but
  // no exception may leave the server's code sender.
  try {
    return post(e164, code);
  } catch (const std::exception& error) {
    return fail(Errc::internal, std::string("webhook: ") + error.what());
  }
}

Result<void> WebhookSender::post(std::string_view e164, std::string_view code) const {
  http::request<http::string_body> request{http::verb::post, url_.target, 11};
  request.set(http::field::host, host_header(url_));
  request.set(http::field::user_agent, "bulwark-server");
  request.set(http::field::content_type, "application/json");
  request.body() = code_json(e164, code);
  request.prepare_payload();

  Exchange exchange(url_, timeout_);
  const auto endpoints = BULWARK_TRY(exchange.resolve());
  Result<unsigned> status = 0U;
  if (url_.tls) {
    ssl::context context(ssl::context::tls_client);
    BULWARK_TRY(configure_tls_context(context, trust_pem_));
    ssl::stream<beast::tcp_stream> stream(exchange.io(), context);
    BULWARK_TRY(expect_host(stream, url_.host));
    status = exchange.post(stream, endpoints, request);
  } else {
    beast::tcp_stream stream(exchange.io());
    status = exchange.post(stream, endpoints, request);
  }
  if (!status) return tl::unexpected(std::move(status).error());
  if (*status < 200 || *status > 299) {
    return fail(Errc::network, exchange.where() + ": answered HTTP " + std::to_string(*status));
  }
  return {};
}

}  // namespace bulwark::server
