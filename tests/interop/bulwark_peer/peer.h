// One Bulwark device driven by JSON requests: the interop peer's logic, without its I/O.
// Requests and responses are the line-delimited JSON of tests/interop/README.md; bytes travel
// as standard base64 and keys in libsignal's serialisation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/rng.h"
#include "protocol/protocol.h"

namespace bulwark::interop {

class Peer {
 public:
  explicit Peer(Rng& rng) : rng_(rng) {}

  // Never throws: malformed requests and failed operations give {"ok":false,"error":...}.
  [[nodiscard]] nlohmann::json handle(const std::string& line);

 private:
  nlohmann::json dispatch(const nlohmann::json& request);
  nlohmann::json identity(const nlohmann::json& request);
  nlohmann::json bundle(const nlohmann::json& request);
  nlohmann::json process_bundle(const nlohmann::json& request);
  nlohmann::json encrypt(const nlohmann::json& request);
  nlohmann::json decrypt(const nlohmann::json& request);
  nlohmann::json fingerprint(const nlohmann::json& request);
  nlohmann::json records();
  nlohmann::json reserialize_records(const nlohmann::json& request);
  protocol::InMemoryProtocolStores& stores();
  static std::uint64_t now_ms();

  Rng& rng_;
  std::string name_;
  DeviceId device_;
  std::unique_ptr<protocol::InMemoryProtocolStores> stores_;
  std::map<std::string, DeviceId> devices_;  // peer name -> the device last talked to
  std::uint32_t next_id_ = 0;
  // The latest bundle's records, for the records op.
  struct LatestRecords {
    std::optional<protocol::PreKeyRecord> pre_key;
    protocol::SignedPreKeyRecord signed_pre_key;
    protocol::KyberPreKeyRecord kyber_pre_key;
  };
  std::unique_ptr<LatestRecords> latest_;
};

}  // namespace bulwark::interop
