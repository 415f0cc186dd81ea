// One MLS (RFC 9420) client in the live interop harness: a peer process speaking the MLS peer
// protocol of tests/interop/mls/README.md (ts-mls's mls_peer.js on Node, or Bulwark's
// bulwark-mls-peer), with typed wrappers over its requests. Bytes are std::string here and
// standard base64 on the wire; messages are RFC 9420 MLSMessage encodings.
//
// Operations that must succeed throw std::runtime_error carrying the peer's error text when they
// do not (GoogleTest reports it as a failure of the test); process() returns the raw response,
// because refusing a message is a result the scenarios check.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "peer_process.h"

namespace bulwark::interop {

// Peer kinds are named by strings ("ts-mls", "bulwark") so that a scenario's parameter list
// reads as the pairs it runs.
//
// Why a peer of this kind cannot run here (e.g. ts-mls not installed, bulwark-mls-peer not part
// of this build, unknown kind), or "".
[[nodiscard]] std::string missing_mls_dependency(std::string_view kind);

// The argv that starts a peer of this kind; throws if missing_mls_dependency(kind) is not "".
// A Bulwark peer given a seed draws every key and nonce from a generator seeded with it (its
// `--seed N`), so its runs are reproducible; ts-mls always uses WebCrypto's random source.
[[nodiscard]] std::vector<std::string> mls_peer_command(std::string_view kind,
                                                        std::optional<std::uint64_t> seed = {});

// A seed per client name: distinct clients of one test never share keys, and a client gets
// the same keys in every run.
[[nodiscard]] std::uint64_t mls_peer_seed(std::string_view name) noexcept;

// "ts-mls" -> "TsMls": a GoogleTest-safe part of a test name.
[[nodiscard]] std::string mls_kind_test_name(std::string_view kind);

struct MlsMember {
  std::uint32_t leaf = 0;
  std::string identity;  // the basic credential's identity: the member's name in UTF-8

  friend bool operator==(const MlsMember&, const MlsMember&) = default;
};

// What the "state" op reports; equal across members means the same epoch, the same
// epoch_authenticator (RFC 9420 §8.7) and the same roster.
struct MlsGroupState {
  std::uint64_t epoch = 0;
  std::string epoch_authenticator;
  std::vector<MlsMember> members;

  friend bool operator==(const MlsGroupState&, const MlsGroupState&) = default;
};
void PrintTo(const MlsGroupState& state, std::ostream* out);

// A commit as its committer answered it. welcome and ratchet_tree are set for "add" only.
struct MlsCommit {
  std::string commit;        // MLSMessage
  std::string welcome;       // MLSMessage (mls_welcome)
  std::string ratchet_tree;  // the ratchet_tree extension's data, for an out-of-band join
  std::uint64_t epoch = 0;   // the committer's new epoch
};

class MlsPeer {
 public:
  // Starts the peer and sets its identity: basic credential `name`, cipher suite `suite`.
  MlsPeer(std::string kind, std::string name, int suite);

  [[nodiscard]] const std::string& kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] PeerProcess& process() noexcept { return process_; }

  [[nodiscard]] std::string key_package();  // an MLSMessage carrying a fresh KeyPackage
  [[nodiscard]] std::uint64_t create_group(const std::string& group_id);
  [[nodiscard]] MlsCommit add(const std::string& group_id,
                              const std::vector<std::string>& key_packages);
  [[nodiscard]] MlsCommit remove(const std::string& group_id,
                                 const std::vector<std::uint32_t>& leaves);
  [[nodiscard]] MlsCommit update(const std::string& group_id);
  // Joins from an add's Welcome with its ratchet tree; returns the group id the peer reports.
  [[nodiscard]] std::string join(const MlsCommit& add);
  [[nodiscard]] std::string encrypt(const std::string& group_id, const std::string& plaintext);
  // The raw response: {"ok":true,"kind":...,"epoch":E[,"plaintext":B64]} or {"ok":false,...}.
  [[nodiscard]] nlohmann::json process(const std::string& group_id, const std::string& message);
  [[nodiscard]] MlsGroupState state(const std::string& group_id);

 private:
  [[nodiscard]] nlohmann::json must(const nlohmann::json& request);
  [[nodiscard]] MlsCommit commit_from(const nlohmann::json& response, bool with_welcome) const;

  std::string kind_;
  std::string name_;
  PeerProcess process_;
};

// The string field `key` of a response, base64-decoded; throws naming what is missing.
[[nodiscard]] std::string mls_bytes_field(const nlohmann::json& response, std::string_view key);
// The unsigned integer field `key` of a response; throws naming what is missing.
[[nodiscard]] std::uint64_t mls_uint_field(const nlohmann::json& response, std::string_view key);

}  // namespace bulwark::interop
