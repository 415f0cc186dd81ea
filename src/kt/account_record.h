// The value key transparency publishes for an account: its identity key and its device list,
// signed by the identity key and hash-chained to the record before it (issue 5; DESIGN.md
// "Identity"). The server cannot make a record listing a device the owner did not add, and
// cannot drop or reorder records without breaking the chain the owner's devices check.
//
//   struct { uint32 device_id; uint32 registration_id; opaque auth_key[32]; } DeviceEntry;
//   struct {
//     uint8 format = 1;
//     uint32 sequence;            // 0 starts a chain (registration, or a new identity key)
//     opaque previous[32];        // SHA-256 of the previous record's encoding; zeros at 0
//     opaque identity_key[33];    // 0x05 || X25519 public key
//     uint64 created_ms;          // the owner's clock; informative
//     DeviceEntry devices<1..64>; // uint8 count, strictly increasing device ids >= 1
//     opaque signature[64];       // XEdDSA by identity_key over context || all of the above
//   } AccountRecord;
//   context = "Bulwark account record v1\n"
//
// Lives in `kt`, not `protocol`, because the server validates records before publishing them
// and the server may not link `protocol` (DESIGN.md module arrows).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/x25519.h"
#include "kt/merkle.h"

namespace bulwark::kt {

inline constexpr std::size_t identity_key_bytes = 33;
inline constexpr std::size_t device_auth_key_bytes = 32;
inline constexpr std::size_t max_record_devices = 64;

struct DeviceEntry {
  std::uint32_t device_id = 0;
  std::uint32_t registration_id = 0;
  std::array<std::byte, device_auth_key_bytes> auth_key{};
  friend bool operator==(const DeviceEntry&, const DeviceEntry&) = default;
};

// A device's entry; `auth_key` must be 32 bytes (else it is left zero, which no record with
// that device would then verify against the server's copy).
[[nodiscard]] DeviceEntry device_entry(std::uint32_t device_id, std::uint32_t registration_id,
                                       ByteView auth_key);

struct AccountRecord {
  std::uint32_t sequence = 0;
  Hash previous{};
  std::array<std::byte, identity_key_bytes> identity_key{};
  std::uint64_t created_ms = 0;
  std::vector<DeviceEntry> devices;
  std::array<std::byte, 64> signature{};
  friend bool operator==(const AccountRecord&, const AccountRecord&) = default;

  [[nodiscard]] const DeviceEntry* device(std::uint32_t device_id) const;
};

// Strict decoding: Errc::invalid_encoding for another format, a device count outside 1..64,
// device ids not strictly increasing from >= 1, an identity key without the 0x05 prefix, a
// chain start with a non-zero `previous`; truncated / trailing_data for bad lengths. The
// signature is not checked here (verify_account_record does).
[[nodiscard]] Result<AccountRecord> decode_account_record(ByteView bytes);
// Requires a record decode_account_record would accept (contract).
[[nodiscard]] Bytes encode_account_record(const AccountRecord& record);

// Fills in `record.signature` with the identity key's XEdDSA signature. Requires the record's
// identity_key to be `identity`'s public key (contract).
void sign_account_record(AccountRecord& record, const crypto::X25519SecretKey& identity, Rng& rng);
// Errc::auth_failed unless the record is signed by its own identity key.
[[nodiscard]] Result<void> verify_account_record(const AccountRecord& record);

// SHA-256 of a record's encoding: what the next record's `previous` holds.
[[nodiscard]] Hash account_record_hash(const AccountRecord& record);

// Errc::invalid_proof unless `next` continues `previous`: the same identity key, the next
// sequence number and `previous` = account_record_hash(previous). (A record with sequence 0
// and another identity key is a new chain, not a successor: the caller decides what a new
// identity key means.)
[[nodiscard]] Result<void> verify_successor(const AccountRecord& previous, const AccountRecord& next);

}  // namespace bulwark::kt
