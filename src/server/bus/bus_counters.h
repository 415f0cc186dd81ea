// What a cluster bus did, for /metrics and for tests: messages that crossed NATS each way, and
// every push it dropped, by cause. A dropped push only delays delivery (bus.h), but a count
// that keeps growing means a node falls behind or NATS is unreachable.
#pragma once

#include <atomic>
#include <cstdint>

namespace bulwark::server {

struct BusCounters {
  std::atomic<std::uint64_t> published_device{0};   // pushes sent to another node's device
  std::atomic<std::uint64_t> published_channel{0};  // channel posts sent (once per post)
  std::atomic<std::uint64_t> published_displace{0};
  std::atomic<std::uint64_t> published_control{0};  // channel interest, re-registration
  std::atomic<std::uint64_t> received_device{0};    // pushes for a device on this node
  std::atomic<std::uint64_t> received_channel{0};   // channel posts from other nodes
  std::atomic<std::uint64_t> received_displace{0};
  std::atomic<std::uint64_t> received_control{0};
  std::atomic<std::uint64_t> displaced_here{0};     // local connections closed for another node
  std::atomic<std::uint64_t> dropped_malformed{0};  // undecodable, or subject and body disagree
  std::atomic<std::uint64_t> dropped_publish{0};    // publish failed (disconnected, buffer full)
  std::atomic<std::uint64_t> dropped_slow{0};       // a subscription's pending limit overflowed
  std::atomic<std::uint64_t> dropped_encode{0};     // too large to send
  std::atomic<std::uint64_t> subscriptions{0};      // live subscriptions right now
  std::atomic<std::uint64_t> reconnects{0};
  // Sessions that read their queue without NATS confirming their subscription (unreachable).
  std::atomic<std::uint64_t> unconfirmed{0};
};

}  // namespace bulwark::server
