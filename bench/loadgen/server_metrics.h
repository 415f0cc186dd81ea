// The server's own counters (GET /metrics over HTTPS, Prometheus text), read between phases to
// cross-check the generator's counts (messages accepted, envelopes acknowledged, store batches,
// refusals). Blocking, one short connection per read: never inside a measured window.
#pragma once

#include <map>
#include <string>

#include "ws_client.h"

namespace bulwark::loadgen {

using MetricValues = std::map<std::string, double>;

// Name without the "bulwark_" prefix -> value; empty on failure (with a note on stderr).
[[nodiscard]] MetricValues fetch_metrics(const TlsClientContext& tls, const ServerAddress& server);

// `after[name] - before[name]`, 0 when absent.
[[nodiscard]] double metric_delta(const MetricValues& before, const MetricValues& after,
                                  const std::string& name);

}  // namespace bulwark::loadgen
