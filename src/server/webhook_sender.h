// WebhookSender: the `webhook:URL` code sender (server/code_sender.h). POSTs
// {"phone":"+12015550123","code":"123456"} as application/json to an http:// or https:// URL
// and succeeds only on a 2xx answer within the timeout.
//
// https verifies the server's certificate against the system's trust store (or, when given,
// exactly the anchors in `trust_pem`), sends SNI for DNS names and checks that the certificate
// names the URL's host (DNS name or IP address). Each send is one connection; nothing is
// pooled. Resolving the host name is bounded by the system resolver's own timeout; connect,
// TLS handshake, request and response together are bounded by `timeout`.
// Beast and Asio SSL live only in webhook_sender.cpp: this header stays cheap to include.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/code_sender.h"

namespace bulwark::server {

inline constexpr std::chrono::milliseconds default_webhook_timeout{5000};

// An http(s) URL split for connecting: scheme://host[:port][/path][?query] (no user info, no
// fragment). IPv6 hosts are written in brackets and stored without them.
struct WebhookUrl {
  bool tls = false;
  std::string host;
  std::uint16_t port = 0;  // 80 / 443 when the URL names none
  std::string target;      // path and query; "/" when the URL names none
};

// {"phone":"+12015550123","code":"123456"}: what the webhook posts and, plus a newline, what the
// file sender appends (code_sender.cpp).
[[nodiscard]] std::string code_json(std::string_view e164, std::string_view code);

// Errc::invalid_argument for any other scheme or a malformed URL.
[[nodiscard]] Result<WebhookUrl> parse_webhook_url(std::string_view url);

class WebhookSender final : public CodeSender {
 public:
  // `trust_pem`: PEM certificates to trust instead of the system store (tests, private CAs);
  // empty means the system store.
  explicit WebhookSender(WebhookUrl url,
                         std::chrono::milliseconds timeout = default_webhook_timeout,
                         std::string trust_pem = {});

  // Errc::network for a failed connection, TLS failure, timeout or a non-2xx status.
  [[nodiscard]] Result<void> send(std::string_view e164, std::string_view code) override;
  [[nodiscard]] std::string describe() const override;

 private:
  [[nodiscard]] Result<void> post(std::string_view e164, std::string_view code) const;

  WebhookUrl url_;
  std::chrono::milliseconds timeout_;
  std::string trust_pem_;
};

}  // namespace bulwark::server
