// Signed admin requests accepted once (store/store.h "signed admin requests", migration 13).
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "store/limits.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Records `signature` until `expires_at_ms`, forgetting those expired at `now_ms` first.
// Errc::conflict when it is recorded and not expired; Errc::unavailable when `capacity` are
// recorded and not expired.
[[nodiscard]] Result<void> admit_signed_request(Db& db, ByteView signature,
                                                std::int64_t expires_at_ms, std::int64_t now_ms,
                                                std::size_t capacity = max_signed_requests);

}  // namespace bulwark::store::sql
