// Keys of the operator's that a device pins the first time it sees them and never replaces
// afterwards (LocalStore keeps them): a server that later shows other keys is caught, because
// what it sends is checked against these, never against keys it sends along.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"

namespace bulwark::client {

// One of the operator's moderators as this device pinned them (client/moderator_pins.h).
struct PinnedModerator {
  std::string name;
  Bytes public_key;  // 32 bytes, Ed25519
  std::int64_t pinned_at_ms = 0;
};

// The disclosure log of lawful requests as this device pinned it, the first time it asked for
// its notices (client/lawful_notices.h): the log's key, its witnesses and how many of them
// must cosign a checkpoint.
struct PinnedDisclosureLog {
  std::string log_key;                 // C2SP vkey; its name is the log's origin
  std::vector<std::string> witnesses;  // cosigner vkeys
  std::uint32_t quorum = 0;
  std::int64_t pinned_at_ms = 0;
};

}  // namespace bulwark::client
