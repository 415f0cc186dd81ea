// WsSession: one device's TLS WebSocket (Beast), the Connection the handlers see.
//
// Bounds: a message may be at most api::max_frame_bytes; the write queue at most
// config.max_outgoing_queue_bytes (past it the reader is too slow and is closed, to reconnect
// and drain from the store); an unauthenticated connection closes after config.auth_timeout
// without a request; an idle one after config.idle_timeout (Beast pings at half of it).
#pragma once

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/context.h"

namespace bulwark::server {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Takes over a TLS stream whose HTTP upgrade request has been read, accepts the WebSocket and
// runs the device protocol until either side closes.
void start_ws_session(TlsStream stream,
                      boost::beast::http::request<boost::beast::http::string_body> upgrade,
                      ServerContext& context, std::string remote_ip);

}  // namespace bulwark::server
