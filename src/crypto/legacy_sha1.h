// SHA-1, only for protocols that fix it and rely on it for no security: the WebSocket opening
// handshake's Sec-WebSocket-Accept (RFC 6455 §4.2.2), which proves only that the server speaks
// WebSocket. Never for signatures, MACs, commitments or identifiers: SHA-1 collisions are
// practical.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t legacy_sha1_bytes = 20;

[[nodiscard]] std::array<std::byte, legacy_sha1_bytes> legacy_sha1(ByteView data) noexcept;

}  // namespace bulwark::crypto
