// Pending verification codes in SQL: one row per phone number (store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Requires a non-empty phone (Errc::invalid_argument).
[[nodiscard]] Result<void> put_verification_code(Db& db, const PendingCode& code);
[[nodiscard]] Result<std::optional<PendingCode>> verification_code(Db& db, std::string_view phone);
// Errc::not_found when no code is pending for `phone`.
[[nodiscard]] Result<std::uint32_t> add_failed_attempt(Db& db, std::string_view phone);
// Deleting a code that is not there succeeds: the outcome is the same.
[[nodiscard]] Result<void> delete_verification_code(Db& db, std::string_view phone);

}  // namespace bulwark::store::sql
