// What a nats-server holds, read from its HTTP monitoring endpoint (`nats-server -m PORT`,
// GET /connz?subs=1): for each client connection, its name and the subjects it subscribes to.
// The cluster tests use it to wait until every node's channel subscription has reached NATS
// (a subscription is sent asynchronously), and to check that a node subscribes once per
// channel, not once per subscriber. Plain HTTP on loopback; bounded by `timeout`; throws
// std::runtime_error when the endpoint does not answer or answers something unexpected.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bulwark::e2e {

// Connection name -> subjects. Connections without a name are listed under "".
using NatsSubscriptions = std::map<std::string, std::vector<std::string>>;

[[nodiscard]] NatsSubscriptions nats_subscriptions_at(
    std::uint16_t monitor_port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

// How many of `subjects` start with `prefix`.
[[nodiscard]] std::size_t count_with_prefix(const std::vector<std::string>& subjects,
                                            const std::string& prefix);

}  // namespace bulwark::e2e
