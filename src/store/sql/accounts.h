// Accounts in SQL: registration (and re-registration), lookups, username and
// discoverability (store/store.h).
#pragma once

#include <optional>
#include <string_view>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Requires a non-empty phone and identity key (Errc::invalid_argument). A new phone whose
// account.id is already taken is Errc::conflict (ids are random: a collision is a caller bug).
[[nodiscard]] Result<AccountId> register_account(Db& db, const NewAccount& account,
                                                 const NewDevice& first_device);
[[nodiscard]] Result<std::optional<Account>> account(Db& db, const AccountId& id);
[[nodiscard]] Result<std::optional<Account>> account_by_phone(Db& db, std::string_view e164);
// The empty name is nobody's (it means "no username").
[[nodiscard]] Result<std::optional<Account>> account_by_username(Db& db, std::string_view username);
// Errc::not_found for an unknown account, Errc::conflict when another account holds the name.
[[nodiscard]] Result<void> set_username(Db& db, const AccountId& id, std::string_view username);
[[nodiscard]] Result<void> set_discoverable(Db& db, const AccountId& id, bool discoverable);

}  // namespace bulwark::store::sql
