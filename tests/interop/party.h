// One side of an interop conversation: a peer process (libsignal's peer.js or Bulwark's
// bulwark-peer) under a name and device id, with typed wrappers over the line protocol of
// tests/interop/README.md. Bytes are std::string here and base64 on the wire.
//
// Operations that must succeed (identity, bundle, process_bundle, encrypt, fingerprint) throw
// std::runtime_error with the peer's error text when they do not; decrypt returns the raw
// response, because rejecting a message is a result the scenarios check.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "peer_process.h"

namespace bulwark::interop {

enum class PeerKind { libsignal, bulwark };

[[nodiscard]] std::string_view to_string(PeerKind kind);
void PrintTo(PeerKind kind, std::ostream* out);  // GoogleTest's name for a parameter

// Why a peer of this kind cannot run here (e.g. libsignal-client not installed), or "".
[[nodiscard]] std::string missing_dependency(PeerKind kind);

// The argv that starts a peer of this kind. Requires missing_dependency(kind).empty().
[[nodiscard]] std::vector<std::string> peer_command(PeerKind kind);

// A message in flight, with the plaintext it was made from so that delivery can be checked.
struct Envelope {
  std::string label;      // e.g. "alice#3", for failure messages
  std::string type;       // "prekey" or "whisper"
  std::string body;       // raw bytes
  std::string plaintext;  // raw bytes
};

class Party {
 public:
  // Starts the peer and creates its identity.
  Party(PeerKind kind, std::string name, int device);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] int device() const noexcept { return device_; }
  [[nodiscard]] PeerKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& identity_key() const noexcept { return identity_key_; }
  [[nodiscard]] PeerProcess& process() noexcept { return process_; }

  [[nodiscard]] nlohmann::json bundle(bool one_time);
  void process_bundle(const Party& owner, const nlohmann::json& bundle);
  [[nodiscard]] Envelope encrypt(const Party& to, std::string plaintext, std::string label);
  [[nodiscard]] nlohmann::json decrypt(const Party& from, const Envelope& message);
  [[nodiscard]] nlohmann::json fingerprint(const Party& peer);

 private:
  [[nodiscard]] nlohmann::json must(const nlohmann::json& request);

  PeerKind kind_;
  std::string name_;
  int device_;
  PeerProcess process_;
  std::string identity_key_;
};

// The string field `key` of a response, or a runtime_error naming what is missing.
[[nodiscard]] std::string text_field(const nlohmann::json& response, std::string_view key);

// `to` decrypts `message` from `from` and gets exactly its plaintext back.
[[nodiscard]] ::testing::AssertionResult delivered(Party& to, const Party& from,
                                                   const Envelope& message);
// `to` refuses `message` (ok:false). The error text is not compared: it differs by library.
[[nodiscard]] ::testing::AssertionResult rejected(Party& to, const Party& from,
                                                  const Envelope& message);

}  // namespace bulwark::interop
