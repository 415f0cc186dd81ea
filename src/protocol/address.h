// ProtocolAddress: whom a session is with, a user name plus one of their devices
// (libsignal rust/protocol/src/address.rs). Sessions are per device, never per user.
#pragma once

#include <compare>
#include <string>

#include "common/ids.h"

namespace bulwark::protocol {

struct ProtocolAddress {
  std::string name;
  DeviceId device;

  friend auto operator<=>(const ProtocolAddress&, const ProtocolAddress&) = default;
  [[nodiscard]] std::string to_string() const { return name + "." + device.to_string(); }
};

}  // namespace bulwark::protocol
