#include "client/admin_https.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include "crypto/base64.h"

namespace bulwark::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

struct Url {
  std::string host;
  std::string port;
};

// https://HOST[:PORT] (port 443 by default), IPv6 hosts in brackets.
Result<Url> parse_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (!url.starts_with(scheme))
    return fail(Errc::invalid_argument, "--server must be https://HOST:PORT");
  std::string_view rest = url.substr(scheme.size());
  if (auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
  Url out;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos)
      return fail(Errc::invalid_argument, "bad IPv6 address in --server");
    out.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    out.port = rest.starts_with(':') ? std::string(rest.substr(1)) : "443";
  } else {
    const auto colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    out.port = colon == std::string_view::npos ? "443" : std::string(rest.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty())
    return fail(Errc::invalid_argument, "--server must be https://HOST:PORT");
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct AdminHttps::Impl {
  Url url;
  std::chrono::milliseconds timeout;
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_client};

  Impl(Url u, std::chrono::milliseconds t) : url(std::move(u)), timeout(t) {}

  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    std::forward<Start>(start)([&result](beast::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }

  Error network(std::string_view what, const beast::error_code& error) const {
    return Error{Errc::network,
                 std::string(what) + " " + url.host + ":" + url.port + ": " + error.message()};
  }

  Result<void> configure(const std::optional<std::filesystem::path>& ca_file) {
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION);
    boost::system::error_code error;
    if (ca_file) {
      tls.load_verify_file(ca_file->string(), error);
      if (error) return fail(Errc::invalid_argument, "cannot load CA file " + ca_file->string());
    } else {
      tls.set_default_verify_paths(error);
      if (error) return fail(Errc::internal, "cannot load the system's CA certificates");
    }
    tls.set_verify_mode(asio::ssl::verify_peer);
    return {};
  }

  // One request on a fresh connection; the reply's status and body.
  Result<HttpAnswer> exchange(http::request<http::string_body>& request) {
    tcp::resolver resolver(io);
    tcp::resolver::results_type endpoints;
    if (auto error = run([&](auto handler) {
          resolver.async_resolve(url.host, url.port,
                                 [&endpoints, handler](beast::error_code e, auto r) mutable {
                                   endpoints = r;
                                   handler(e);
                                 });
        }))
      return tl::unexpected(network("cannot resolve", error));
    Stream stream(io, tls);
    SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    auto& socket = beast::get_lowest_layer(stream);
    socket.expires_after(timeout);
    if (auto error = run([&](auto handler) { socket.async_connect(endpoints, handler); }))
      return tl::unexpected(network("cannot connect to", error));
    if (auto error = run(
            [&](auto handler) { stream.async_handshake(asio::ssl::stream_base::client, handler); }))
      return tl::unexpected(network("TLS handshake failed with", error));
    if (auto error = run([&](auto handler) { http::async_write(stream, request, handler); }))
      return tl::unexpected(network("cannot send to", error));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_admin_response_bytes);
    if (auto error = run([&](auto handler) { http::async_read(stream, buffer, parser, handler); }))
      return tl::unexpected(network("no valid response from", error));
    auto response = parser.release();
    return HttpAnswer{response.result_int(), std::move(response.body())};
  }
};

Result<AdminHttps> AdminHttps::open(std::string_view server,
                                    const std::optional<std::filesystem::path>& ca_file,
                                    std::chrono::milliseconds timeout) {
  auto url = BULWARK_TRY(parse_url(server));
  auto impl = std::make_unique<Impl>(std::move(url), timeout);
  BULWARK_TRY(impl->configure(ca_file));
  return AdminHttps(std::move(impl));
}

AdminHttps::AdminHttps(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AdminHttps::AdminHttps(AdminHttps&&) noexcept = default;
AdminHttps& AdminHttps::operator=(AdminHttps&&) noexcept = default;
AdminHttps::~AdminHttps() = default;

Result<HttpAnswer> AdminHttps::exchange(bool post, const std::string& target, std::string body,
                                        const Headers& headers) {
  http::request<http::string_body> request(post ? http::verb::post : http::verb::get, target, 11);
  request.set(http::field::host, impl_->url.host + ":" + impl_->url.port);
  request.set(http::field::user_agent, "bulwark-admin");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (post) request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.keep_alive(false);
  request.prepare_payload();
  return impl_->exchange(request);
}

Result<std::pair<unsigned, nlohmann::json>> AdminHttps::signed_request(
    moderation::RequestRole role, const std::string& name, const crypto::Ed25519SecretKey& key,
    bool post, const std::string& target, std::string body) {
  const std::int64_t time = now_ms();
  const auto signature = BULWARK_TRY(
      moderation::sign_request(key, post ? "POST" : "GET", target, time, as_bytes(body), role));
  const Headers headers{
      {role == moderation::RequestRole::moderator ? "X-Bulwark-Moderator" : "X-Bulwark-Operator",
       name},
      {"X-Bulwark-Time", std::to_string(time)},
      {"X-Bulwark-Signature", crypto::base64_encode(signature)}};
  const HttpAnswer answer = BULWARK_TRY(exchange(post, target, std::move(body), headers));
  nlohmann::json json = nlohmann::json::parse(answer.body, nullptr, false);
  if (json.is_discarded())
    return fail(Errc::network,
                "the server's answer is not JSON (HTTP " + std::to_string(answer.status) + ")");
  return std::pair{answer.status, std::move(json)};
}

Error answer_error(unsigned status, const nlohmann::json& answer) {
  const std::string message = answer.contains("error") && answer["error"].is_string()
                                  ? answer["error"].get<std::string>()
                                  : "HTTP " + std::to_string(status);
  Errc code = Errc::invalid_argument;
  if (status == 401) code = Errc::auth_failed;
  if (status == 404) code = Errc::not_found;
  if (status == 409) code = Errc::conflict;
  if (status >= 500) code = Errc::unavailable;
  return Error{code, message};
}

}  // namespace bulwark::client
