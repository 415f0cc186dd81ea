// The values the server store holds (store/store.h). Plain data: the store checks nothing
// about keys beyond what its schema needs; the server validates sizes before storing.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"

namespace bulwark::store {

// 16 random bytes; shown as a UUID (common::format_uuid).
struct AccountId {
  std::array<std::byte, 16> bytes{};
  friend auto operator<=>(const AccountId&, const AccountId&) = default;
};

struct EnvelopeId {
  std::array<std::byte, 16> bytes{};
  friend auto operator<=>(const EnvelopeId&, const EnvelopeId&) = default;
};

struct DeviceAddress {
  AccountId account;
  DeviceId device;
  friend auto operator<=>(const DeviceAddress&, const DeviceAddress&) = default;
};

struct PendingCode {
  std::string phone;  // E.164
  Bytes code_hash;    // SHA-256(salt || phone || code): the code itself is never stored
  Bytes salt;         // 16 random bytes
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::uint32_t failed_attempts = 0;
};

struct NewAccount {
  AccountId id;           // used only when the phone is new
  std::string phone;      // E.164
  Bytes identity_key;     // 33 bytes
  bool discoverable = false;
  std::int64_t created_at_ms = 0;
};

struct Account {
  AccountId id;
  std::string phone;
  std::optional<std::string> username;
  Bytes identity_key;
  bool discoverable = false;
  std::int64_t created_at_ms = 0;
};

struct SignedKey {
  std::uint32_t id = 0;
  Bytes public_key;
  Bytes signature;
  friend bool operator==(const SignedKey&, const SignedKey&) = default;
};

struct OneTimeKey {
  std::uint32_t id = 0;
  Bytes public_key;
  friend bool operator==(const OneTimeKey&, const OneTimeKey&) = default;
};

struct NewDevice {
  RegistrationId registration_id;
  Bytes auth_key;  // Ed25519 public key, 32 bytes
  std::string name;
  SignedKey signed_pre_key;
  SignedKey last_resort_kyber_pre_key;
  std::vector<OneTimeKey> pre_keys;
  std::vector<SignedKey> kyber_pre_keys;
  std::int64_t created_at_ms = 0;
};

struct Device {
  DeviceId id;
  RegistrationId registration_id;
  Bytes auth_key;
  std::string name;
  std::int64_t created_at_ms = 0;
};

struct PreKeyCounts {
  std::uint32_t pre_keys = 0;
  std::uint32_t kyber_pre_keys = 0;  // one-time only, the last-resort key not counted
};

struct PreKeyBundle {
  DeviceId device;
  RegistrationId registration_id;
  SignedKey signed_pre_key;
  SignedKey kyber_pre_key;
  bool kyber_is_last_resort = false;
  std::optional<OneTimeKey> pre_key;
};

struct Envelope {
  EnvelopeId id;
  DeviceAddress destination;
  AccountId source_account;
  DeviceId source_device;
  std::uint32_t type = 0;  // api::EnvelopeType
  Bytes content;
  std::int64_t server_timestamp_ms = 0;
  std::int64_t client_timestamp_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::uint64_t seq = 0;  // queue position, assigned by enqueue()
};

struct IpSighting {
  std::string ip;
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
};

}  // namespace bulwark::store
