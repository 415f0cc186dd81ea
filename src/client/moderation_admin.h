// bulwark-admin's moderation client (docs/MODERATION.md "Admin protocol"): the moderator's key
// file, and the signed HTTPS requests to the server's moderation API (server/moderation_admin.h).
//
// The moderator's private key lives only in its key file (64 hex digits of the Ed25519 seed,
// mode 0600, refused when group- or world-readable); it signs every request and every action
// here and never leaves this process: not in requests, logs or errors.
//
// TLS as the bulwark client: the server's certificate is verified against --ca-file (the
// server's self-signed certificate, pinned) or the system's CAs, with its host name.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "moderation/action.h"
#include "moderation/log_audit.h"

namespace bulwark::client {

// Creates a new moderator key file (Errc::conflict if it exists); returns the base64 public
// key, which the operator lists under [[moderation.moderator]].
[[nodiscard]] Result<std::string> create_moderator_key(const std::filesystem::path& file);
[[nodiscard]] Result<crypto::Ed25519SecretKey> load_moderator_key(const std::filesystem::path& file);

struct AdminOptions {
  std::string server;  // https://HOST:PORT
  std::optional<std::filesystem::path> ca_file;
  std::string moderator;  // the configured name
  std::filesystem::path key_file;
  std::chrono::milliseconds timeout{30'000};
};

class ModerationAdmin {
 public:
  [[nodiscard]] static Result<ModerationAdmin> open(const AdminOptions& options);
  ModerationAdmin(ModerationAdmin&&) noexcept;
  ModerationAdmin& operator=(ModerationAdmin&&) noexcept;
  ~ModerationAdmin();

  // The server's answers as JSON. Errors carry the server's message (e.g. "clock skew", "you
  // made the appealed decision").
  [[nodiscard]] Result<nlohmann::json> queue();
  [[nodiscard]] Result<nlohmann::json> show(std::uint64_t case_id);
  [[nodiscard]] Result<nlohmann::json> log(std::uint64_t after);
  // Fetches the whole log, page by page, and audits its chain (moderation/log_audit.h) under
  // `trusted` (name -> 32-byte key; empty: the keys the records name). Errc::invalid_proof
  // naming the first entry that breaks it.
  [[nodiscard]] Result<moderation::LogAudit> verify_log(std::map<std::string, Bytes> trusted);
  // Signs `action` on the case (its target and the log head as the server shows them now) and
  // submits it; if the log moved on meanwhile, signs again once.
  [[nodiscard]] Result<nlohmann::json> act(std::uint64_t case_id, moderation::Action action,
                                           std::string_view reason);

 private:
  struct Impl;
  explicit ModerationAdmin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::client
