// The moderators' HTTPS API (docs/MODERATION.md "Admin protocol"), served on the server's
// listener beside the web preview and spoken by bulwark-admin. JSON in and out:
//   GET  /admin/moderation/queue              open and appealed cases (not the appeals of
//                                             decisions the asking moderator made)
//   GET  /admin/moderation/cases/ID           one case: target, content, reports (categories
//                                             and comments, never reporters), appeal, log head
//   POST /admin/moderation/cases/ID/act       {"record": base64, "signature": base64}: a signed
//                                             action (moderation/signed_action.h) extending the
//                                             log head; answers {"log_seq": N}
//   GET  /admin/moderation/log?after=N        the log's entries, for audits (200 at a time)
// Every request is signed by a configured moderator (moderation/request_auth.h); a request
// that is unsigned, from an unknown moderator, outside the clock skew or with a bad signature
// is refused with 401 and counted, and nothing runs. An action is checked against the
// moderator's configured key, the case's target and the log head before it is appended.
//
// Beast-free: the HTTP session hands the parsed request here and writes the reply it gets.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/context.h"

namespace bulwark::server {

struct AdminHttpRequest {
  bool post = false;
  std::string target;     // path and query, as signed
  std::string moderator;  // X-Bulwark-Moderator
  std::string time;       // X-Bulwark-Time
  std::string signature;  // X-Bulwark-Signature
  std::string body;
};

struct AdminHttpReply {
  int status = 200;
  std::string body;  // JSON
};

[[nodiscard]] bool is_admin_target(std::string_view target) noexcept;

// The route a request names, parsed without I/O (fuzz/moderation_admin_route_fuzz.cpp).
// Every target parses to one of these; `error` says why for the refusals.
enum class AdminRouteKind { queue, log, show_case, act, not_found, bad_request, wrong_method };
struct AdminRoute {
  AdminRouteKind kind = AdminRouteKind::not_found;
  std::uint64_t number = 0;  // show_case, act: the case; log: after
  std::string error;
};
[[nodiscard]] AdminRoute parse_admin_route(bool post, std::string_view target);

// Calls `done` exactly once: before returning, from the store's threads, or on an I/O thread
// (after the request's admission, server/admin_auth.h). Not at all once the server has stopped.
void handle_admin_request(ServerContext& context, AdminHttpRequest request,
                          std::function<void(AdminHttpReply)> done);

}  // namespace bulwark::server
