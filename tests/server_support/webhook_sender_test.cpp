// WebhookSender against a one-request HTTP(S) server on 127.0.0.1 in a test thread. No sleeps:
// the server thread blocks on the socket and ends when the exchange (or the client) ends.

// GCC 12 warns about a null pointer inside Asio 1.74's scheduler once it is inlined here (the
// scheduler checks it), and under -fsanitize about a boost::optional in Beast's request parser
// that is set before it is read. Both are middle-end warnings from library code that
// system-header status does not silence; src/ uses bulwark_third_party_null_warning_sources.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include "server/webhook_sender.h"

#include <optional>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/tls_certificate.h"

namespace bulwark::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

// Accepts one connection, reads one request and answers `status`, or never answers (then waits
// for the client to give up and close). With a certificate it speaks TLS.
class OneRequestServer {
 public:
  enum class Answer { status, never };

  explicit OneRequestServer(unsigned status, Answer answer = Answer::status,
                            const crypto::TlsCertificate* tls = nullptr)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        tls_context_(ssl::context::tls_server) {
    if (tls != nullptr) {
      tls_context_.use_certificate_chain(asio::buffer(tls->certificate_pem));
      const ByteView key = tls->private_key_pem.view();
      tls_context_.use_private_key(asio::buffer(key.data(), key.size()), ssl::context::pem);
    }
    thread_ = std::thread([this, status, answer, use_tls = tls != nullptr] {
      tcp::socket socket(ioc_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) return;
      if (!use_tls) {
        serve(socket, status, answer);
        return;
      }
      ssl::stream<tcp::socket&> stream(socket, tls_context_);
      stream.handshake(ssl::stream_base::server, ec);
      if (!ec) serve(stream, status, answer);
    });
  }

  ~OneRequestServer() {
    // A test that failed before connecting would leave accept() blocked: a connection of our
    // own releases it (and is refused harmlessly when the server is already done).
    tcp::socket poke(ioc_);
    beast::error_code ec;
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    if (thread_.joinable()) thread_.join();
  }

  [[nodiscard]] std::string url(std::string_view scheme,
                                std::string_view host = "127.0.0.1") const {
    return std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port_) +
           "/sms/send?k=v";
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }

  // The request the server read; valid once the exchange is over.
  const std::optional<http::request<http::string_body>>& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  template <class Stream>
  void serve(Stream& stream, unsigned status, Answer answer) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    beast::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    request_ = std::move(request);
    if (answer == Answer::never) {
      char byte = 0;
      asio::read(stream, asio::buffer(&byte, 1), ec);  // returns when the client closes
      return;
    }
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    if (status != 204) response.body() = "ok";  // a 204 carries no body
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = acceptor_.local_endpoint().port();
  ssl::context tls_context_;
  std::optional<http::request<http::string_body>> request_;
  std::thread thread_;
};

WebhookSender sender_for(const std::string& url, milliseconds timeout = default_webhook_timeout,
                         std::string trust_pem = {}) {
  auto parsed = parse_webhook_url(url);
  if (!parsed) ADD_FAILURE() << url << ": " << parsed.error().describe();
  return WebhookSender(parsed.value_or(WebhookUrl{}), timeout, std::move(trust_pem));
}

crypto::TlsCertificate certificate_for(std::vector<std::string> names) {
  auto certificate = crypto::make_self_signed_certificate(names, 1);
  if (!certificate) ADD_FAILURE() << certificate.error().describe();
  return std::move(certificate).value();
}

TEST(WebhookSenderTest, PostsPhoneAndCodeAsJson) {
  OneRequestServer server(200);
  auto sender = sender_for(server.url("http"));
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_TRUE(sent) << sent.error().describe();
  const auto& request = server.request();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->method(), http::verb::post);
  EXPECT_EQ(request->target(), "/sms/send?k=v");
  EXPECT_EQ((*request)[http::field::content_type], "application/json");
  EXPECT_EQ((*request)[http::field::host], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(request->body(), R"({"phone":"+12015550123","code":"123456"})");
  const auto body = nlohmann::json::parse(request->body());
  EXPECT_EQ(body.at("phone"), "+12015550123");
  EXPECT_EQ(body.at("code"), "123456");
}

TEST(WebhookSenderTest, AnyTwoHundredStatusIsSuccess) {
  OneRequestServer server(204);
  auto sender = sender_for(server.url("http"));
  EXPECT_TRUE(sender.send("+12015550123", "123456"));
}

TEST(WebhookSenderTest, ErrorStatusIsANetworkErrorNamingTheStatus) {
  OneRequestServer server(500);
  auto sender = sender_for(server.url("http"));
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
  EXPECT_NE(sent.error().context.find("500"), std::string::npos) << sent.error().context;
  EXPECT_EQ(sent.error().context.find("123456"), std::string::npos);
}

TEST(WebhookSenderTest, RedirectIsNotSuccess) {
  OneRequestServer server(302);
  auto sender = sender_for(server.url("http"));
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
}

TEST(WebhookSenderTest, AnswerThatNeverComesTimesOut) {
  OneRequestServer server(200, OneRequestServer::Answer::never);
  auto sender = sender_for(server.url("http"), milliseconds(200));
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
  EXPECT_NE(sent.error().context.find("timed out after 200 ms"), std::string::npos)
      << sent.error().context;
  EXPECT_TRUE(server.request());  // the request did arrive
}

TEST(WebhookSenderTest, RefusedConnectionIsANetworkError) {
  std::uint16_t port = 0;
  {
    asio::io_context ioc;
    tcp::acceptor closed(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = closed.local_endpoint().port();
  }
  auto sender = sender_for("http://127.0.0.1:" + std::to_string(port) + "/");
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
}

TEST(WebhookSenderTest, HttpsPostsToAServerWithATrustedCertificate) {
  const auto certificate = certificate_for({"localhost", "127.0.0.1"});
  for (const char* host : {"127.0.0.1", "localhost"}) {
    OneRequestServer server(200, OneRequestServer::Answer::status, &certificate);
    auto sender =
        sender_for(server.url("https", host), default_webhook_timeout, certificate.certificate_pem);
    const auto sent = sender.send("+12015550123", "123456");
    ASSERT_TRUE(sent) << host << ": " << sent.error().describe();
    ASSERT_TRUE(server.request()) << host;
    EXPECT_EQ(server.request()->body(), R"({"phone":"+12015550123","code":"123456"})");
  }
}

TEST(WebhookSenderTest, HttpsRefusesACertificateTheSystemDoesNotTrust) {
  const auto certificate = certificate_for({"127.0.0.1"});
  OneRequestServer server(200, OneRequestServer::Answer::status, &certificate);
  auto sender = sender_for(server.url("https"));
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
  EXPECT_FALSE(server.request());
}

TEST(WebhookSenderTest, HttpsRefusesATrustedCertificateForAnotherHost) {
  const auto certificate = certificate_for({"gateway.example", "192.0.2.1"});
  OneRequestServer server(200, OneRequestServer::Answer::status, &certificate);
  auto sender =
      sender_for(server.url("https"), default_webhook_timeout, certificate.certificate_pem);
  const auto sent = sender.send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::network);
  EXPECT_FALSE(server.request());
}

TEST(WebhookUrlTest, HttpAndHttpsUrlsAreSplit) {
  const auto plain = parse_webhook_url("http://127.0.0.1:8080/hook?x=1");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 8080);
  EXPECT_EQ(plain->target, "/hook?x=1");
  const auto tls = parse_webhook_url("https://sms.example.org");
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->host, "sms.example.org");
  EXPECT_EQ(tls->port, 443);
  EXPECT_EQ(tls->target, "/");
  EXPECT_EQ(parse_webhook_url("http://h")->port, 80);
  EXPECT_EQ(parse_webhook_url("http://h?q=1")->target, "/?q=1");
}

TEST(WebhookUrlTest, BracketedIpv6HostLosesItsBrackets) {
  const auto url = parse_webhook_url("https://[::1]:8443/x");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/x");
  EXPECT_EQ(parse_webhook_url("http://[2001:db8::1]")->port, 80);
}

TEST(WebhookUrlTest, MalformedUrlsAreInvalidArgument) {
  for (const char* text : {"", "ftp://h/", "HTTP//h", "http://", "http:///x", "http://user@h/",
                           "http://h:0/", "http://h:70000/", "http://h:x/", "http://h:/",
                           "http://h/#frag", "http://h /", "http://[::1/", "http://[nothex]/",
                           "http://[127.0.0.1]/", "http://[::1]x/", "http://h_%/"}) {
    const auto url = parse_webhook_url(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, Errc::invalid_argument) << text;
  }
}

}  // namespace
}  // namespace bulwark::server
