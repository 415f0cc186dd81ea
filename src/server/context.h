// ServerContext: the shared services every connection's handlers use, wired once in
// server.cpp. Everything here is thread-safe (or guarded, like the limiters).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string_view>

#include "common/clock.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "server/code_sender.h"
#include "server/config.h"
#include "server/envelope_ids.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/registry.h"
#include "server/store_executor.h"

namespace bulwark::server {

enum class Limit {
  code_per_phone,
  code_per_ip,
  verify_per_phone,
  requests_per_ip,
  sends_per_account,
  lookups_per_account,
};

// The configured rate limiters behind one lock (they are touched once per request).
class Limiters {
 public:
  explicit Limiters(const ServerConfig& config);
  [[nodiscard]] RateLimiter::Decision take(Limit limit, std::string_view key,
                                           std::uint32_t cost = 1);

 private:
  std::mutex mutex_;
  RateLimiter code_per_phone_, code_per_ip_, verify_per_phone_, requests_per_ip_,
      sends_per_account_, lookups_per_account_;
};

}  // namespace bulwark::server

namespace bulwark::moderation {
class RuleSet;
}  // namespace bulwark::moderation

namespace bulwark::server {

class Bus;
struct BusCounters;
class KtService;
class LawfulService;
class ChannelHub;
class FrankingKeys;
class FrankingStamper;

struct ServerContext {
  const ServerConfig& config;
  StoreExecutor& store;
  Registry& registry;
  Metrics& metrics;
  Limiters& limiters;
  CodeSender& code_sender;
  Clock& clock;
  Rng& rng;
  // Runs blocking work (a webhook call) off the I/O threads.
  std::function<void(std::function<void()>)> run_blocking;
  // Runs short work on an I/O thread (what a store completion hands on). Set once at start.
  std::function<void(std::function<void()>)> run_on_io{};
  std::atomic<bool> shutting_down{false};
  KtService* kt = nullptr;  // the key-transparency log; set once at start
  ChannelHub* channels = nullptr;  // channels' online subscribers; set once at start
  // Live delivery to devices and channel subscribers, on this node or (cluster mode) others
  // (server/bus/bus.h); set once at start. The handlers deliver through it, never through the
  // registry or the hub directly.
  Bus* bus = nullptr;
  const BusCounters* bus_counters = nullptr;  // cluster mode: for /metrics
  FrankingKeys* franking = nullptr;  // message franking's stamping keys; set once at start
  FrankingStamper* stamper = nullptr;  // stamps sends' franking tags in batches; set at start
  // Keys the per-post view sketches (channel/view_sketch.h); DATA_DIR/channel_views.key.
  const SecretBytes* channel_view_key = nullptr;
  // The operator's compiled policy rules (docs/MODERATION.md); set once at start.
  const moderation::RuleSet* moderation_rules = nullptr;
  // Lawful requests (docs/LAWFUL.md); set once at start.
  LawfulService* lawful = nullptr;
  // HTTP requests reading a body larger than the usual limit right now (http_session.cpp).
  std::atomic<int> large_bodies{0};
  // Envelope ids, from `rng` a block at a time.
  EnvelopeIdSource envelope_ids{};

  [[nodiscard]] std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               clock.now().time_since_epoch())
        .count();
  }
};

}  // namespace bulwark::server
