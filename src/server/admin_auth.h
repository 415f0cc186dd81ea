// Who signed an admin request: the moderators' API (server/moderation_admin.h) and the lawful
// operators' API (server/lawful_http.h) authenticate the same way (moderation/request_auth.h),
// each under its own role, headers and replay guard.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "moderation/request_auth.h"
#include "moderation/request_replay.h"
#include "server/config.h"

namespace bulwark::server {

struct SignedRequestHeaders {
  std::string name;       // X-Bulwark-Moderator or X-Bulwark-Operator
  std::string time;       // X-Bulwark-Time
  std::string signature;  // X-Bulwark-Signature
};

// The configured key (of `keys`) whose holder signed the request, if its signature verifies
// within the clock skew and it was not accepted before. An unknown name is checked against a
// key nobody holds, so that it gets the same answers as a wrong signature: the answers do not
// tell which names exist. Errc::auth_failed, Errc::invalid_argument (clock skew) or
// Errc::unavailable (the replay guard is full).
[[nodiscard]] Result<const ModeratorKey*> authenticate_signed_request(
    std::span<const ModeratorKey> keys, moderation::RequestRole role,
    const SignedRequestHeaders& headers, bool post, std::string_view target, std::string_view body,
    moderation::RequestReplayGuard& replays, std::int64_t now_ms);

// A decimal number of at most 20 digits that fits 64 bits, nothing else.
[[nodiscard]] std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

}  // namespace bulwark::server
