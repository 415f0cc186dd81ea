// How bulwark-admin authenticates a moderator's HTTPS request to the server
// (docs/MODERATION.md "Admin protocol"). Every request carries three headers:
//   X-Bulwark-Moderator: the moderator's configured name
//   X-Bulwark-Time: the request time, milliseconds since the epoch (decimal)
//   X-Bulwark-Signature: base64 Ed25519 signature by the moderator's key over
//     "bulwark-moderation-request-v1" || u8 len method || method || u16 len path || path ||
//     u64 time ms (big-endian) || SHA-256(body)
// The server accepts it only within max_request_skew of its own clock, so a captured request
// is worth nothing minutes later; within that window a replayed read is harmless, and a
// replayed action is refused because its signed record names the log head it extended.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"

namespace bulwark::moderation {

inline constexpr std::chrono::milliseconds max_request_skew{std::chrono::minutes(5)};

// Whose requests: the same form serves lawful-request operators (docs/LAWFUL.md), under the
// domain "bulwark-lawful-request-v1" in place of "bulwark-moderation-request-v1" - so that a
// moderator's signed request can never pass as an operator's, even under the same key.
enum class RequestRole { moderator, lawful_operator };
inline constexpr std::size_t max_request_path_bytes = 1024;

// Errc::invalid_argument for a method over 16 bytes or a path over max_request_path_bytes.
[[nodiscard]] Result<Bytes> request_signing_bytes(std::string_view method, std::string_view path,
                                                  std::int64_t time_ms, ByteView body,
                                                  RequestRole role = RequestRole::moderator);
[[nodiscard]] Result<crypto::Ed25519Signature> sign_request(const crypto::Ed25519SecretKey& key,
                                                            std::string_view method,
                                                            std::string_view path,
                                                            std::int64_t time_ms, ByteView body,
                                                            RequestRole role = RequestRole::moderator);
// Errc::invalid_argument ("clock skew") when time_ms is more than max_request_skew from now_ms;
// Errc::auth_failed when the signature does not verify.
[[nodiscard]] Result<void> verify_request(const crypto::Ed25519PublicKey& key,
                                          std::string_view method, std::string_view path,
                                          std::int64_t time_ms, ByteView body,
                                          ByteView signature, std::int64_t now_ms,
                                          RequestRole role = RequestRole::moderator);

}  // namespace bulwark::moderation
