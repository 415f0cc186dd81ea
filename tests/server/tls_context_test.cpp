// The server's TLS settings that bound what an idle connection holds (tls_context.cpp,
// tls_socket.cpp): every accepted connection releases its record buffers when idle, the
// context keeps no session cache, and ChaCha20-Poly1305 (the smaller cipher state) is chosen
// whenever the client offers it, with AES-256-GCM still there for clients that do not.
#include "server/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include "server/support/kt_support.h"
#include "server/tls_socket.h"

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
using kt_support::TempDir;

std::unique_ptr<asio::ssl::context> tls_test_server_context(const TempDir& dir) {
  ServerConfig config;
  config.data_dir = dir.path();
  auto files = ensure_tls_files(config);
  EXPECT_TRUE(files.has_value());
  auto context = make_tls_context(*files);
  EXPECT_TRUE(context.has_value());
  return std::move(*context);
}

// Runs a TLS 1.3 handshake between a server SSL from `server_context` and a client offering
// `client_suites` (OpenSSL's default order when empty) over memory BIOs; the negotiated suite's
// name, or "" when the handshake fails.
std::string tls_test_negotiated_suite(SSL_CTX* server_context, const char* client_suites) {
  SSL_CTX* client_context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(client_context, TLS1_3_VERSION);
  if (client_suites != nullptr) SSL_CTX_set_ciphersuites(client_context, client_suites);
  SSL* client = SSL_new(client_context);
  SSL* server = SSL_new(server_context);
  BIO* client_side = nullptr;
  BIO* server_side = nullptr;
  BIO_new_bio_pair(&client_side, 0, &server_side, 0);
  SSL_set_bio(client, client_side, client_side);
  SSL_set_bio(server, server_side, server_side);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  bool client_done = false;
  bool server_done = false;
  for (int round = 0; round < 16 && !(client_done && server_done); ++round) {
    if (!client_done) client_done = SSL_do_handshake(client) == 1;
    if (!server_done) server_done = SSL_do_handshake(server) == 1;
  }
  std::string suite;
  if (client_done && server_done) suite = SSL_CIPHER_get_name(SSL_get_current_cipher(server));
  SSL_free(server);
  SSL_free(client);
  SSL_CTX_free(client_context);
  return suite;
}

TEST(TlsContextTest, IdleConnectionsKeepNoBuffersAndNoSessionCache) {
  TempDir dir;
  auto context = tls_test_server_context(dir);
  SSL_CTX* native = context->native_handle();
  EXPECT_NE(SSL_CTX_get_mode(native) & SSL_MODE_RELEASE_BUFFERS, 0U);
  EXPECT_EQ(SSL_CTX_get_session_cache_mode(native), SSL_SESS_CACHE_OFF);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(native), TLS1_3_VERSION);
}

TEST(TlsContextTest, ChoosesChaCha20WhenTheClientOffersItEvenSecond) {
  TempDir dir;
  auto context = tls_test_server_context(dir);
  // OpenSSL's own client order puts AES-256-GCM first.
  EXPECT_EQ(tls_test_negotiated_suite(context->native_handle(), nullptr),
            "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(tls_test_negotiated_suite(context->native_handle(),
                                      "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"),
            "TLS_CHACHA20_POLY1305_SHA256");
}

TEST(TlsContextTest, ClientsWithoutChaCha20StillGetAesGcm) {
  TempDir dir;
  auto context = tls_test_server_context(dir);
  EXPECT_EQ(tls_test_negotiated_suite(context->native_handle(), "TLS_AES_256_GCM_SHA384"),
            "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(tls_test_negotiated_suite(context->native_handle(), "TLS_AES_128_GCM_SHA256"),
            "TLS_AES_128_GCM_SHA256");
}

TEST(TlsContextTest, EveryAcceptedConnectionReleasesItsRecordBuffers) {
  TempDir dir;
  auto context = tls_test_server_context(dir);
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  for (int connection = 0; connection < 3; ++connection) {
    asio::ip::tcp::socket client(io);
    client.connect(acceptor.local_endpoint());  // the kernel completes it from the backlog
    TlsSocket accepted(acceptor.accept(), context->native_handle());
    SSL* ssl = accepted.native_handle();
    ASSERT_NE(ssl, nullptr);
    EXPECT_NE(SSL_get_mode(ssl) & SSL_MODE_RELEASE_BUFFERS, 0U);
    EXPECT_EQ(SSL_get_read_ahead(ssl), 1);
    EXPECT_FALSE(accepted.plaintext());
  }
}

}  // namespace
}  // namespace bulwark::server
