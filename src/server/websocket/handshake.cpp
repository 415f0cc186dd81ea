#include "server/websocket/handshake.h"

#include <boost/beast/websocket/rfc6455.hpp>

#include "crypto/base64.h"
#include "crypto/legacy_sha1.h"

namespace bulwark::server::websocket {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string refusal_response(int status, std::string_view reason, std::string_view extra) {
  std::string body = std::string(reason) + "\n";
  std::string response = "HTTP/1.1 " + std::to_string(status) +
                         (status == 426 ? " Upgrade Required" : " Bad Request") +
                         "\r\nServer: bulwark\r\nConnection: close\r\n" + std::string(extra) +
                         "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body;
  return response;
}

// A key is 16 random bytes in base64.
bool valid_key(std::string_view key) {
  auto decoded = crypto::base64_decode(key);
  return decoded && decoded->size() == 16;
}

}  // namespace

std::string accept_token(std::string_view key) {
  std::string input = std::string(key) + std::string(guid);
  auto digest = crypto::legacy_sha1(as_bytes(input));
  return crypto::base64_encode(digest);
}

Result<std::string> accept_upgrade(const http::request<http::string_body>& request,
                                   std::string& refusal) {
  auto refuse = [&refusal](int status, std::string_view reason, std::string_view extra = "") {
    refusal = refusal_response(status, reason, extra);
    return fail(Errc::invalid_argument, std::string(reason));
  };
  if (request.method() != http::verb::get || request.version() < 11)
    return refuse(400, "a WebSocket upgrade is an HTTP/1.1 GET");
  if (!boost::beast::websocket::is_upgrade(request))
    return refuse(400, "not a WebSocket upgrade request");
  if (request[http::field::sec_websocket_version] != "13")
    return refuse(426, "WebSocket version 13 only", "Sec-WebSocket-Version: 13\r\n");
  auto key_field = request[http::field::sec_websocket_key];
  std::string_view key(key_field.data(), key_field.size());
  if (!valid_key(key)) return refuse(400, "bad Sec-WebSocket-Key");
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: " + accept_token(key) + "\r\n\r\n";
}

}  // namespace bulwark::server::websocket
