// Who signed an admin request: the moderators' API (server/moderation_admin.h) and the lawful
// operators' API (server/lawful_http.h) authenticate the same way (moderation/request_auth.h),
// each under its own role and headers, and accept each signed request once, cluster-wide
// (Store::admit_signed_request).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "moderation/request_auth.h"
#include "server/config.h"
#include "server/context.h"

namespace bulwark::server {

struct SignedRequestHeaders {
  std::string name;       // X-Bulwark-Moderator or X-Bulwark-Operator
  std::string time;       // X-Bulwark-Time
  std::string signature;  // X-Bulwark-Signature
};

// A request whose signature verified, not yet accepted: its store job first admits it
// (admit_signed_request below), so that it is accepted once.
struct SignedAdmission {
  const ModeratorKey* signer = nullptr;
  Bytes signature;
  std::int64_t expires_at_ms = 0;  // when the clock check starts refusing it
  std::int64_t checked_at_ms = 0;
};

// The configured key (of `keys`) whose holder signed the request, if its signature verifies
// within the clock skew. An unknown name is checked against a key nobody holds, so that it gets
// the same answers as a wrong signature: the answers do not tell which names exist.
// Errc::auth_failed or Errc::invalid_argument (clock skew).
[[nodiscard]] Result<SignedAdmission> authenticate_signed_request(
    std::span<const ModeratorKey> keys, moderation::RequestRole role,
    const SignedRequestHeaders& headers, bool post, std::string_view target, std::string_view body,
    std::int64_t now_ms);

// Records the signature in the database (Store::admit_signed_request), which every node
// shares and a restart keeps, so that a captured request is accepted once, here or on another
// node; then calls `then` on an I/O thread (ServerContext::run_on_io). The admission
// is its own store job, durable before anything the request asks is done: a request refused
// now (say, an action on a case not appealed yet) stays refused, even once the state would make
// it valid. `then` gets Errc::auth_failed ("replayed request") when it was accepted before,
// Errc::unavailable when too many are in their window or the store is busy.
void admit_signed_request_then(ServerContext& context, SignedAdmission admission,
                               std::function<void(Result<void>)> then);

// The HTTP status refusing a request its admission failed: 401 for a replay (as for any other
// authentication failure), 503 for a full table or a store that failed.
[[nodiscard]] int admission_refusal_status(const Error& error) noexcept;

// A decimal number of at most 20 digits that fits 64 bits, nothing else.
[[nodiscard]] std::optional<std::uint64_t> parse_decimal_u64(std::string_view text);

}  // namespace bulwark::server
