// What /healthz answers: whether a load balancer should send this server traffic.
#pragma once

#include <string_view>

namespace bulwark::server {

struct HealthAnswer {
  bool healthy;           // 200 when true, 503 otherwise
  std::string_view body;  // one line for the operator
};

// Stopping: it drains and will be gone. Store failed: a disk sync failed, so every write is
// refused until a restart (StoreExecutor::failed).
[[nodiscard]] constexpr HealthAnswer health(bool stopping, bool store_failed) {
  if (stopping) return {false, "stopping\n"};
  if (store_failed) return {false, "store failed, restart needed\n"};
  return {true, "ok\n"};
}

}  // namespace bulwark::server
