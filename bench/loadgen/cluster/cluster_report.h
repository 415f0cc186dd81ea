// The cluster benchmark's figures as key=value lines (peer_report.h's PeerReport, so the JSON
// has the same shape as the peer scenario's): cluster_* for the two-node run, sqlite_* for the
// one-node SQLite baseline, and the two goals, each "met" or "MISSED":
//   cluster_cross_added_p50_ms = cross-node p50 - same-node p50 <= 1 ms
//   cluster_cross_added_p99_ms = cross-node p99 - same-node p99 <= 5 ms
// Both kinds of delivery are measured in one run (each sender alternates), so the difference
// is what the bus adds; the same-node figure minus the SQLite baseline's is what the PostgreSQL
// store and a second node on the same cores add.
#pragma once

#include "cluster/cluster_options.h"
#include "cluster/cluster_round.h"
#include "peer/peer_report.h"

namespace bulwark::loadgen::cluster {

inline constexpr double goal_added_p50_ms = 1;
inline constexpr double goal_added_p99_ms = 5;

void add_cluster_keys(peer::PeerReport& report, const ClusterOptions& options,
                      const ClusterRound& round);
void add_sqlite_keys(peer::PeerReport& report, const ClusterRound& round);
// `sqlite` may be null (no baseline). Returns whether both goals were met.
bool add_goal_keys(peer::PeerReport& report, const ClusterRound& cluster,
                   const ClusterRound* sqlite);

}  // namespace bulwark::loadgen::cluster
