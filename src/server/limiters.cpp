#include "server/context.h"

namespace bulwark::server {

Limiters::Limiters(const ServerConfig& config)
    : code_per_phone_(config.code_per_phone),
      code_per_ip_(config.code_per_ip),
      verify_per_phone_(config.verify_per_phone),
      requests_per_ip_(config.requests_per_ip),
      sends_per_account_(config.sends_per_account),
      lookups_per_account_(config.lookups_per_account) {}

RateLimiter::Decision Limiters::take(Limit limit, std::string_view key, std::uint32_t cost) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  switch (limit) {
    case Limit::code_per_phone: return code_per_phone_.take(key, now, cost);
    case Limit::code_per_ip: return code_per_ip_.take(key, now, cost);
    case Limit::verify_per_phone: return verify_per_phone_.take(key, now, cost);
    case Limit::requests_per_ip: return requests_per_ip_.take(key, now, cost);
    case Limit::sends_per_account: return sends_per_account_.take(key, now, cost);
    case Limit::lookups_per_account: return lookups_per_account_.take(key, now, cost);
  }
  return {};
}

}  // namespace bulwark::server
