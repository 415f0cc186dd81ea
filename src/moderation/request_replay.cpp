#include "moderation/request_replay.h"

#include "moderation/request_auth.h"

namespace bulwark::moderation {

void RequestReplayGuard::forget_expired(std::int64_t now_ms) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now_ms) {
    seen_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

Result<void> RequestReplayGuard::admit(ByteView signature, std::int64_t time_ms,
                                       std::int64_t now_ms) {
  std::string key(reinterpret_cast<const char*>(signature.data()), signature.size());
  const std::lock_guard lock(mutex_);
  forget_expired(now_ms);
  if (seen_.contains(key))
    return fail(Errc::conflict, "replayed request: this signature was already used; sign the "
                                "request again");
  if (seen_.size() >= capacity_)
    return fail(Errc::unavailable, "too many moderator requests in the last minutes; retry");
  seen_.insert(key);
  by_expiry_.emplace(time_ms + max_request_skew.count(), std::move(key));
  return {};
}

std::size_t RequestReplayGuard::size() const {
  const std::lock_guard lock(mutex_);
  return seen_.size();
}

}  // namespace bulwark::moderation
