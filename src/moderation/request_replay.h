// Moderators' signed admin requests are accepted once (docs/MODERATION.md "Admin protocol").
//
// A request's signature covers its method, path, time and body, and the server takes it only
// within max_request_skew of its clock (request_auth.h). Within that window a captured request
// could otherwise be sent again: a refused action (say, on a case not appealed yet) could be
// replayed once the case's state made it valid. The guard remembers every accepted request's
// signature until its time is out of the window, after which the clock check refuses it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::moderation {

class RequestReplayGuard {
 public:
  // At most `capacity` signatures are remembered; moderators are few, so a full guard means a
  // flood, and it refuses rather than forgets.
  RequestReplayGuard() = default;
  explicit RequestReplayGuard(std::size_t capacity) : capacity_(capacity) {}

  // Records the signature of a request made at `time_ms` (already checked to be within the
  // window of `now_ms`). Errc::conflict when it was recorded before; Errc::unavailable when
  // `capacity` signatures are still in their window.
  [[nodiscard]] Result<void> admit(ByteView signature, std::int64_t time_ms, std::int64_t now_ms);

  [[nodiscard]] std::size_t size() const;

 private:
  void forget_expired(std::int64_t now_ms);

  std::size_t capacity_ = 65'536;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_;
  std::multimap<std::int64_t, std::string> by_expiry_;  // when each signature leaves the window
};

}  // namespace bulwark::moderation
