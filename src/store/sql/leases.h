// Leases in SQL (store/store.h "leases", migration 12): one row per named duty, naming the
// node that holds it and until when.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Takes or renews the lease `name` for `holder` until `until_ms`, if it is free, expired at
// `now_ms`, or already `holder`'s. True when `holder` holds it now. One statement: two nodes
// asking at once cannot both get it.
[[nodiscard]] Result<bool> take_lease(Db& db, std::string_view name, ByteView holder,
                                      std::int64_t now_ms, std::int64_t until_ms);

}  // namespace bulwark::store::sql
