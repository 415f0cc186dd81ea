// One MLS (RFC 9420) client driven by JSON requests: the logic of bulwark-mls-peer without its
// I/O. Requests and responses are the line protocol of tests/interop/mls/README.md; bytes are
// standard base64 and messages RFC 9420 MLSMessage encodings.
//
// The client holds one basic credential (identity = its name in UTF-8), one Ed25519 signature
// key for all its KeyPackages and leaves, every KeyPackageBundle it handed out and no Welcome
// consumed yet, and its groups by group id. Group is value-semantic: an operation yields the
// next state, which is adopted only when the whole request succeeds, so a refused request
// changes nothing.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/messages/credential.h"

namespace bulwark::interop {

class MlsPeer {
 public:
  explicit MlsPeer(Rng& rng) : rng_(rng) {}

  // Never throws: malformed requests and failed operations give {"ok":false,"error":TEXT}.
  [[nodiscard]] nlohmann::json handle(const std::string& line);

 private:
  nlohmann::json dispatch(const nlohmann::json& request);
  nlohmann::json identity(const nlohmann::json& request);
  nlohmann::json key_package();
  nlohmann::json create_group(const nlohmann::json& request);
  nlohmann::json add(const nlohmann::json& request);
  nlohmann::json remove(const nlohmann::json& request);
  nlohmann::json update(const nlohmann::json& request);
  nlohmann::json join(const nlohmann::json& request);
  nlohmann::json encrypt(const nlohmann::json& request);
  nlohmann::json process(const nlohmann::json& request);
  nlohmann::json state(const nlohmann::json& request);

  // Commits `commit_request` in the request's group and adopts the new epoch.
  protocol::mls::Group::CommitOutput commit(const nlohmann::json& request,
                                            const protocol::mls::CommitRequest& commit_request);
  protocol::mls::Group& group_of(const nlohmann::json& request);
  protocol::mls::Member member() const;

  Rng& rng_;
  std::optional<protocol::mls::CipherSuite> suite_;
  protocol::mls::Credential credential_;
  std::unique_ptr<crypto::Ed25519SecretKey> signature_key_;
  std::vector<protocol::mls::KeyPackageBundle> key_packages_;  // unused so far
  std::map<Bytes, protocol::mls::Group> groups_;
};

}  // namespace bulwark::interop
