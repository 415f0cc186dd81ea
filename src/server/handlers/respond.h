// Small helpers that turn results into Responses, shared by the handlers.
#pragma once

#include <cstdint>

#include "api/proto/api.pb.h"
#include "common/result.h"
#include "server/device_session.h"
#include "server/rate_limiter.h"

namespace bulwark::server {

[[nodiscard]] inline api::Response ok_response(std::uint64_t id) {
  api::Response response;
  response.set_id(id);
  response.set_status(api::OK);
  return response;
}

// Maps an Error to a status; the context is already safe to show (no secrets by contract).
inline void respond_error(DeviceSession& session, std::uint64_t id, const Error& error) {
  api::Status status = api::INTERNAL;
  switch (error.code) {
    case Errc::not_found: status = api::NOT_FOUND; break;
    case Errc::conflict: status = api::CONFLICT; break;
    case Errc::rate_limited: status = api::RATE_LIMITED; break;
    case Errc::unavailable: status = api::UNAVAILABLE; break;
    case Errc::storage:
    case Errc::internal: status = api::INTERNAL; break;
    default: status = api::BAD_REQUEST; break;
  }
  session.respond_status(id, status, status == api::INTERNAL ? "server error, nothing was stored"
                                                             : error.context);
}

inline void respond_rate_limited(DeviceSession& session, std::uint64_t id,
                                 const RateLimiter::Decision& decision) {
  session.context().metrics.requests_rate_limited++;
  session.respond_status(id, api::RATE_LIMITED, "rate limited, retry later",
                         static_cast<std::uint64_t>(decision.retry_after.count()));
}

}  // namespace bulwark::server
