// Protobuf keeps `bytes` fields in std::string; this is the one conversion the client's
// request builders use.
#pragma once

#include <string>

#include "common/bytes.h"

namespace bulwark::client {

[[nodiscard]] inline std::string text_of(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace bulwark::client
