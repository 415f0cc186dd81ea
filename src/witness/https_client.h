// A small synchronous HTTPS/1.1 client (Boost.Beast over Asio SSL) for the server's log APIs:
// one keep-alive connection, reopened when the server closes it; every operation bounded by
// a timeout, every response body by a size limit.
//
// TLS: the server's certificate is self-signed by default, so without a CA file the client
// accepts any certificate. That is acceptable for a witness: everything it acts on is
// verified independently of the channel (checkpoints carry the log's signature, entries must
// reproduce a signed root) and it sends nothing secret (a cosignature is public). A network
// attacker can therefore at worst stop the witness or make it raise a false alarm, never
// make it cosign anything the log did not sign; `ca_file` (--tls-ca) rules that out too by
// verifying the certificate chain and host name.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "witness/log_api.h"
#include "witness/server_url.h"

namespace bulwark::witness {

struct HttpsOptions {
  std::optional<std::filesystem::path> ca_file;  // verify the server against it when set
  std::chrono::milliseconds timeout{60'000};     // per connect, request or response
};

class HttpsClient {
 public:
  // Errc::invalid_argument when the CA file cannot be loaded.
  [[nodiscard]] static Result<HttpsClient> create(ServerUrl server, HttpsOptions options);
  HttpsClient(HttpsClient&&) noexcept;
  HttpsClient& operator=(HttpsClient&&) noexcept;
  ~HttpsClient();

  // Errc::network when the connection fails, times out, or the response is malformed or
  // its body exceeds `max_body_bytes`.
  [[nodiscard]] Result<HttpResponse> get(std::string_view target, std::size_t max_body_bytes);
  [[nodiscard]] Result<HttpResponse> post(std::string_view target, std::string_view content_type,
                                          std::string body, std::size_t max_body_bytes);

 private:
  struct Impl;
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::witness
