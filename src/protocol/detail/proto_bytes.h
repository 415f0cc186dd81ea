// Protobuf's `bytes` fields are std::strings. The two conversions every codec of this module
// needs, and the wipe for fields that held a secret: protobuf keeps its own copy, which
// SecretBytes cannot reach, so a codec wipes it before the message is released.
#pragma once

#include <string>

#include "common/bytes.h"
#include "common/secret_bytes.h"

namespace bulwark::protocol::detail {

[[nodiscard]] inline std::string proto_bytes(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline void wipe_proto_bytes(std::string* field) {
  secure_wipe(MutableByteView(reinterpret_cast<std::byte*>(field->data()), field->size()));
}

}  // namespace bulwark::protocol::detail
