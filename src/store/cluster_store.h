// The part of the server's Store through which the nodes of a cluster coordinate (store/store.h's
// conventions: every method one atomic unit; one thread at a time), and which a single node
// uses all the same: leases on the duties one node does for all, and the signed admin requests
// already accepted. Atomic across every node sharing the database (docs/OPERATIONS.md
// "Cluster: running several nodes").
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::store {

class ClusterStore {
 public:
  virtual ~ClusterStore() = default;

  // ---- leases (issue 10: duties one node of a cluster does for all) ----
  // Takes or renews the lease `name` (1-64 bytes) for `holder` (1-64 bytes, a node's id) until
  // `until_ms` (> now_ms): true when it was free, expired at `now_ms`, or already `holder`'s,
  // and is now `holder`'s; false when another holder's lease still runs.
  // Errc::invalid_argument for bad sizes or times.
  [[nodiscard]] virtual Result<bool> take_lease(std::string_view name, ByteView holder,
                                                std::int64_t now_ms, std::int64_t until_ms) = 0;

  // ---- signed admin requests (docs/MODERATION.md "Admin protocol", docs/LAWFUL.md) ----
  // Records the signature (1-64 bytes) of an accepted moderator or operator request until
  // `expires_at_ms`, when the clock check starts refusing it, so that every node, and a
  // restarted one, accepts it once. Forgets those expired at `now_ms`. Errc::conflict
  // ("replayed request") when it is recorded already; Errc::unavailable when
  // max_signed_requests (store/limits.h) are recorded.
  [[nodiscard]] virtual Result<void> admit_signed_request(ByteView signature,
                                                          std::int64_t expires_at_ms,
                                                          std::int64_t now_ms) = 0;
};

}  // namespace bulwark::store
