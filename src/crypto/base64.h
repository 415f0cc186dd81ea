// Standard base64 (RFC 4648 §4, with padding), on libsodium's constant-time codec, so that
// encoding key material leaks nothing through timing.
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::crypto {

[[nodiscard]] std::string base64_encode(ByteView bytes);
// Errc::invalid_encoding for anything but canonical padded standard base64.
[[nodiscard]] Result<Bytes> base64_decode(std::string_view text);

}  // namespace bulwark::crypto
