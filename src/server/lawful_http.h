// The HTTP routes of lawful requests (docs/LAWFUL.md), served on the server's listener.
//
// Operators (bulwark-admin lawful ...), every request signed by a configured operator
// (moderation/request_auth.h with RequestRole::lawful_operator; headers X-Bulwark-Operator,
// X-Bulwark-Time, X-Bulwark-Signature) and accepted once; JSON in and out:
//   GET  /admin/lawful/authorities            the configured authorities
//   POST /admin/lawful/authorities            {"name","jurisdiction","anchors":[PEM],
//                                             "intermediates":[PEM],"crls":[PEM]}: add/replace
//   GET  /admin/lawful/orders?after=N         orders, 200 at a time
//   POST /admin/lawful/orders                 {"document": b64, "signature": b64 DER}: submit
//   GET  /admin/lawful/orders/ID              one order, its decisions and state
//   POST /admin/lawful/orders/ID/approve      {"signature": b64}: lawful/approval.h
//   POST /admin/lawful/orders/ID/refuse       {"reason": text, "signature": b64}
//   POST /admin/lawful/orders/ID/release      200 {"package": text}; 202 while the witnesses
//                                             have not cosigned the answer's entry
// A step the workflow refuses (a bad order, a repeated approver, too few approvals) is logged
// and answered 422 {"error", "refused": reason, "log_index"}.
//
// Public, unauthenticated:
//   GET  /v1/lawful/checkpoint     the disclosure log's newest checkpoint with its cosignatures
//   GET  /v1/lawful/entry/<index>  an entry's bytes (lawful/log_entry.h)
//   POST /v1/lawful/cosignature    "<size>\n<cosignature line>\n" from a configured witness
//   GET  /v1/lawful/keys           what verifiers pin: origin, log key, witnesses, operators
//   GET  /lawful, /lawful.json     the transparency report, counted from the log
//
// Beast-free: the HTTP session hands the parsed request here and writes the reply it gets.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/context.h"

namespace bulwark::server {

// Orders and their CMS signatures (with chains) need more than other routes' bodies.
inline constexpr std::uint64_t max_lawful_body_bytes = 1024 * 1024;

struct LawfulHttpRequest {
  bool post = false;
  std::string target;
  std::string operator_name;  // X-Bulwark-Operator
  std::string time;           // X-Bulwark-Time
  std::string signature;      // X-Bulwark-Signature
  std::string body;
};

struct LawfulHttpReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

[[nodiscard]] bool is_lawful_target(std::string_view target) noexcept;
// The operators' routes, which take the larger body limit (only after the request is read do
// they check its signature, so the limit is still a bound, not a trust decision).
[[nodiscard]] bool is_lawful_admin_target(std::string_view target) noexcept;

enum class LawfulRouteKind {
  authorities,
  add_authority,
  orders,
  submit,
  show,
  approve,
  refuse,
  release,  // operators
  checkpoint,
  entry,
  cosignature,
  keys,
  report_json,
  report_page,  // public
  not_found,
  bad_request,
  wrong_method
};
struct LawfulRoute {
  LawfulRouteKind kind = LawfulRouteKind::not_found;
  std::uint64_t number = 0;  // an order id, an entry index, `after`
  std::string error;
};
// Every target parses to one of these, without I/O (fuzz/lawful_route_fuzz.cpp).
[[nodiscard]] LawfulRoute parse_lawful_route(bool post, std::string_view target);

// Calls `done` exactly once: before returning, from the store's threads, or on an I/O thread
// (after the request's admission, server/admin_auth.h). Not at all once the server has stopped.
void handle_lawful_request(ServerContext& context, LawfulHttpRequest request,
                           std::function<void(LawfulHttpReply)> done);

}  // namespace bulwark::server
