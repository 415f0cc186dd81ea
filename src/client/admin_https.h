// bulwark-admin's HTTPS to the server (docs/MODERATION.md "Admin protocol", docs/LAWFUL.md):
// one request per connection, TLS 1.3 only, the server's certificate verified against
// --ca-file (the server's self-signed certificate, pinned) or the system's CAs, with its host
// name; every operation bounded by the timeout and the answer by max_admin_response_bytes.
//
// signed_request() adds moderation/request_auth.h's headers: the signer's configured name
// (X-Bulwark-Moderator or X-Bulwark-Operator, by role), the time and the Ed25519 signature over
// method, path, time and body. The key never leaves this process.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "moderation/request_auth.h"

namespace bulwark::client {

inline constexpr std::size_t max_admin_response_bytes = 32 * 1024 * 1024;

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

class AdminHttps {
 public:
  // Errc::invalid_argument unless `server` is https://HOST:PORT or the CA file loads.
  [[nodiscard]] static Result<AdminHttps> open(std::string_view server,
                                               const std::optional<std::filesystem::path>& ca_file,
                                               std::chrono::milliseconds timeout);
  AdminHttps(AdminHttps&&) noexcept;
  AdminHttps& operator=(AdminHttps&&) noexcept;
  ~AdminHttps();

  using Headers = std::vector<std::pair<std::string, std::string>>;
  // Errc::network when the exchange fails; any HTTP status is an answer.
  [[nodiscard]] Result<HttpAnswer> exchange(bool post, const std::string& target, std::string body,
                                            const Headers& headers = {});

  // A request signed as `role` by `name`'s `key`, its answer parsed as JSON (Errc::network
  // when it is not JSON).
  [[nodiscard]] Result<std::pair<unsigned, nlohmann::json>> signed_request(
      moderation::RequestRole role, const std::string& name, const crypto::Ed25519SecretKey& key,
      bool post, const std::string& target, std::string body);

 private:
  struct Impl;
  explicit AdminHttps(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A JSON answer other than 200 as the error it names ({"error": ...}): 401 auth_failed, 404
// not_found, 409 conflict, 5xx unavailable, other invalid_argument.
[[nodiscard]] Error answer_error(unsigned status, const nlohmann::json& answer);

}  // namespace bulwark::client
