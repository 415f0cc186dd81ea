// Recent IP addresses in SQL: one row per account and address with the first and last time
// seen, pruned by last sighting (DESIGN.md: a rolling window, 7 days by default).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Errc::not_found for an unknown account, Errc::invalid_argument for an empty address. A
// sighting older than the row's first or newer than its last widens the row; others change
// nothing.
[[nodiscard]] Result<void> record_ip(Db& db, const AccountId& id, std::string_view ip,
                                     std::int64_t seen_at_ms);
// Most recently seen first, at most store::max_recent_ips of them.
[[nodiscard]] Result<std::vector<IpSighting>> recent_ips(Db& db, const AccountId& id);
[[nodiscard]] Result<std::uint64_t> prune_ips(Db& db, std::int64_t before_ms);

}  // namespace bulwark::store::sql
