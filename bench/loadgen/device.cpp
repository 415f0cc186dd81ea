#include "device.h"

namespace bulwark::loadgen {

std::string phone_number(std::size_t index) { return "+1201" + std::to_string(2'000'000 + index); }

DeviceCredentials new_device(std::string phone, Rng& rng) {
  DeviceCredentials out;
  out.phone = std::move(phone);
  const auto id = random_array<2>(rng);
  out.registration_id =
      1 + ((static_cast<std::uint32_t>(id[0]) << 8 | static_cast<std::uint32_t>(id[1])) % 16380);
  out.auth = std::make_unique<crypto::Ed25519KeyPair>(crypto::ed25519_keypair(rng));
  return out;
}

}  // namespace bulwark::loadgen
