// The LogSource of a running server: one of its logs' HTTP API (log_api.h) over HTTPS
// (https_client.h), with a bound on every response body.
#pragma once

#include <cstddef>

#include "kt/note.h"
#include "witness/https_client.h"
#include "witness/log_kind.h"
#include "witness/log_source.h"

namespace bulwark::witness {

// 1 GiB: a KT entry of kt::max_audit_leaves (2^24) leaves of 64 bytes. The disclosure log's
// entries are far smaller, but their format is the server's, so they get the same bound.
inline constexpr std::size_t default_max_entry_bytes = std::size_t{1} << 30;
// Responses to a cosignature carry at most a short explanation.
inline constexpr std::size_t max_status_body_bytes = 4096;

class HttpLogSource final : public LogSource {
 public:
  // Follows the server's log of `kind`.
  HttpLogSource(LogKind kind, HttpsClient client, std::size_t max_entry_bytes)
      : kind_(kind), client_(std::move(client)), max_entry_bytes_(max_entry_bytes) {}

  [[nodiscard]] Result<std::optional<std::string>> latest_checkpoint() override;
  [[nodiscard]] Result<Bytes> entry(std::uint64_t index) override;
  [[nodiscard]] Result<void> submit_cosignature(std::uint64_t size, std::string_view line) override;

 private:
  LogKind kind_;
  HttpsClient client_;
  std::size_t max_entry_bytes_;
};

}  // namespace bulwark::witness
