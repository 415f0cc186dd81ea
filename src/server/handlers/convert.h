// Checked conversions between api.proto messages and store records. The server cannot check
// signatures on prekeys (that needs the protocol module, which it never links); it checks
// sizes, type bytes and ranges, so that nothing malformed is ever stored or handed out.
#pragma once

#include <string>

#include "common/result.h"
#include "store/records.h"

namespace bulwark::api {
class DeviceKeys;
class SignedPreKey;
class KyberPreKey;
class PreKey;
class PreKeyBundle;
class DeviceAddress;
}  // namespace bulwark::api

namespace bulwark::server {

[[nodiscard]] Result<store::AccountId> account_id_from(const std::string& bytes);
[[nodiscard]] Result<Bytes> identity_key_from(const std::string& bytes);
[[nodiscard]] Result<store::SignedKey> signed_pre_key_from(const api::SignedPreKey& key);
[[nodiscard]] Result<store::SignedKey> kyber_pre_key_from(const api::KyberPreKey& key);
[[nodiscard]] Result<store::OneTimeKey> pre_key_from(const api::PreKey& key);
[[nodiscard]] Result<store::NewDevice> new_device_from(const api::DeviceKeys& keys,
                                                       std::int64_t now_ms);
void bundle_to_api(const store::PreKeyBundle& bundle, api::PreKeyBundle& out);
// A device address as api.proto carries it (16-byte account id, device id).
[[nodiscard]] Result<store::DeviceAddress> device_address_from(const api::DeviceAddress& address);
void device_address_to_api(const store::DeviceAddress& address, api::DeviceAddress& out);
// "550e8400-e29b-41d4-a716-446655440000", for logs that must name an account.
[[nodiscard]] std::string account_text(const store::AccountId& id);

}  // namespace bulwark::server
