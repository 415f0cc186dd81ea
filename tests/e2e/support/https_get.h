// A minimal HTTPS GET over TLS 1.3 for the server's plain routes (/healthz, /metrics), trusting
// exactly the server's certificate file. Bounded in time; never throws for network errors
// (status 0 and the error text instead), so it can be polled while a server starts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bulwark::e2e {

struct HttpResult {
  int status = 0;  // 0: no HTTP response (see error)
  std::string body;
  std::string error;
};

// `extra_header_bytes` > 0 adds one header of that many bytes (X-Padding), to test limits.
[[nodiscard]] HttpResult https_get(std::uint16_t port, const std::filesystem::path& ca_file,
                                   const std::string& target,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                   std::size_t extra_header_bytes = 0);

// Any method with extra headers and a body (the moderation admin API).
[[nodiscard]] HttpResult https_request(std::uint16_t port, const std::filesystem::path& ca_file,
                                       const std::string& method, const std::string& target,
                                       const std::vector<std::pair<std::string, std::string>>& headers,
                                       const std::string& body,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace bulwark::e2e
