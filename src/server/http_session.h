// HttpSession: a fresh TLS connection. Reads HTTP requests (bounded: 8 KiB of headers, 16 KiB
// of body, 10 s per request) and answers the plain routes (/healthz, /metrics), or hands the
// stream to a WsSession when the request is a WebSocket upgrade of /v1/websocket.
#pragma once

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "server/context.h"

namespace bulwark::server {

// `tls` null: a plaintext connection from the benchmark listener (config.h, plaintext_listen).
void start_http_session(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls,
                        ServerContext& context);

}  // namespace bulwark::server
