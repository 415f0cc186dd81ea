// bulwark-admin's lawful-request client (docs/LAWFUL.md): an operator's signed HTTPS requests to
// the server's lawful routes (server/lawful_http.h), and the approvals and refusals the operator
// signs with their own key (lawful/approval.h). The key file is a moderator key file's format
// (client/moderation_admin.h: 64 hex digits of an Ed25519 seed, mode 0600) and never leaves
// this process.
//
// Before signing an approval the client fetches the order, hashes the document it was shown
// and compares with the server's hash: an operator approves what they read, not what a server
// says they read.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "lawful/authority.h"

namespace bulwark::client {

struct LawfulAdminOptions {
  std::string server;  // https://HOST:PORT
  std::optional<std::filesystem::path> ca_file;
  std::string name;  // the operator's configured name
  std::filesystem::path key_file;
  std::chrono::milliseconds timeout{30'000};
};

// A step the server may refuse (422, logged), accept (200) or defer (202: a release waiting for
// the witnesses).
struct LawfulAnswer {
  unsigned status = 0;
  nlohmann::json body;
};

class LawfulAdmin {
 public:
  [[nodiscard]] static Result<LawfulAdmin> open(const LawfulAdminOptions& options);
  LawfulAdmin(LawfulAdmin&&) noexcept;
  LawfulAdmin& operator=(LawfulAdmin&&) noexcept;
  ~LawfulAdmin();

  [[nodiscard]] Result<nlohmann::json> authorities();
  [[nodiscard]] Result<nlohmann::json> add_authority(const lawful::Authority& authority);
  [[nodiscard]] Result<nlohmann::json> orders(std::uint64_t after);
  [[nodiscard]] Result<nlohmann::json> show(std::uint64_t order);
  [[nodiscard]] Result<LawfulAnswer> submit(ByteView document, ByteView signature);
  [[nodiscard]] Result<LawfulAnswer> approve(std::uint64_t order);
  [[nodiscard]] Result<LawfulAnswer> refuse(std::uint64_t order, std::string_view reason);
  [[nodiscard]] Result<LawfulAnswer> release(std::uint64_t order);

 private:
  struct Impl;
  explicit LawfulAdmin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::client
