// WsSession: one device's TLS WebSocket, the Connection the handlers see. The WebSocket layer
// is our own (server/websocket/): an idle connection then holds no buffers at all, and the
// frames queued for a connection go out together, several per TLS record and send.
//
// Bounds: a message may be at most api::max_frame_bytes (refused from its header); the write
// queue at most config.max_outgoing_queue_bytes (past it the reader is too slow and is closed,
// to reconnect and drain from the store); an unauthenticated connection closes after
// config.auth_timeout without a request; an authenticated one is pinged after half of
// config.idle_timeout without hearing from it and closed after all of it. A close waits at most
// close_grace for the peer before the socket is closed.
#pragma once

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "server/context.h"
#include "server/tls_socket.h"

namespace bulwark::server {

// Takes over a TLS stream whose HTTP upgrade request has been read (`leftover`: bytes read
// after it), answers the handshake and runs the device protocol until either side closes.
void start_ws_session(TlsSocket stream,
                      const boost::beast::http::request<boost::beast::http::string_body>& upgrade,
                      std::string leftover, ServerContext& context, std::string remote_ip);

}  // namespace bulwark::server
