// SharedEnvelope: a committed envelope whose copies went to many devices (a group's fan-out).
// Every copy has the same id and bytes, so its Push frame is serialised once and shared by every
// push, on this node and (server/bus/) on the others.
#pragma once

#include <memory>
#include <string>

#include "store/records.h"

namespace bulwark::server {

struct SharedEnvelope {
  store::EnvelopeId id;
  std::shared_ptr<const std::string> frame;  // a serialised api::Frame holding the Push
};

}  // namespace bulwark::server
