// The server's half of the WebSocket opening handshake (RFC 6455 §4.2).
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/result.h"

namespace bulwark::server::websocket {

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC's GUID)).
[[nodiscard]] std::string accept_token(std::string_view key);

// The whole "101 Switching Protocols" response for a valid upgrade request; otherwise
// Errc::invalid_argument saying what is wrong, and the HTTP response to send instead (400, or
// 426 naming version 13 for another version) in `refusal`.
[[nodiscard]] Result<std::string> accept_upgrade(
    const boost::beast::http::request<boost::beast::http::string_body>& request,
    std::string& refusal);

}  // namespace bulwark::server::websocket
