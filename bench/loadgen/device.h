// DeviceCredentials: what the generator keeps in memory for each registered device, enough
// to authenticate it on any number of later connections (api.proto, Authenticate).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/rng.h"
#include "crypto/ed25519.h"

namespace bulwark::loadgen {

using AccountBytes = std::array<std::byte, 16>;

struct DeviceCredentials {
  std::string phone;            // E.164, the account's
  AccountBytes account{};       // from RegisterResult
  std::uint32_t device_id = 0;  // 1 for the registering device, then AddDevice's answers
  std::uint32_t registration_id = 0;
  std::unique_ptr<crypto::Ed25519KeyPair> auth;  // the device's authentication key
};

// Valid US numbers (libphonenumber accepts +1 201 2xx xxxx), distinct per index.
[[nodiscard]] std::string phone_number(std::size_t index);

// A device not yet registered: its phone, a random registration id (1..16380, as libsignal's)
// and a fresh authentication key.
[[nodiscard]] DeviceCredentials new_device(std::string phone, Rng& rng);

}  // namespace bulwark::loadgen
