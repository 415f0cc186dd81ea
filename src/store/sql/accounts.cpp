#include "store/sql/accounts.h"

#include "store/sql/devices.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql find_id_by_phone{"find account by phone", "SELECT id FROM accounts WHERE phone = ?"};
constexpr Sql insert_account{
    "insert account",
    "INSERT INTO accounts (id, phone, username, identity_key, discoverable, created_at_ms, "
    "next_device_id) VALUES (?, ?, NULL, ?, ?, ?, 2)"};
// Re-registration keeps the id, the phone and the creation time; the rest starts over.
constexpr Sql reset_account{
    "reset account",
    "UPDATE accounts SET username = NULL, identity_key = ?, discoverable = ?, "
    "next_device_id = 2 WHERE id = ?"};
// Prekeys and queued envelopes go with their devices (ON DELETE CASCADE).
constexpr Sql delete_devices{"delete devices", "DELETE FROM devices WHERE account_id = ?"};
constexpr Sql select_by_id{"read account",
                           "SELECT id, phone, username, identity_key, discoverable, created_at_ms "
                           "FROM accounts WHERE id = ?"};
constexpr Sql select_by_phone{
    "read account by phone",
    "SELECT id, phone, username, identity_key, discoverable, created_at_ms "
    "FROM accounts WHERE phone = ?"};
constexpr Sql select_by_username{
    "read account by username",
    "SELECT id, phone, username, identity_key, discoverable, created_at_ms "
    "FROM accounts WHERE username = ?"};
constexpr Sql update_username{"set username", "UPDATE accounts SET username = ? WHERE id = ?"};
constexpr Sql update_discoverable{"set discoverable",
                                  "UPDATE accounts SET discoverable = ? WHERE id = ?"};

Result<std::optional<Account>> single_account(Statement& query) {
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<Account>{};
  Account account;
  auto id = BULWARK_TRY(account_id_at(query, 0));
  account.id = id;
  account.phone = query.text_at(1);
  if (!query.is_null(2)) account.username = query.text_at(2);
  account.identity_key = query.blob_at(3);
  account.discoverable = query.int64_at(4) != 0;
  account.created_at_ms = query.int64_at(5);
  return std::optional<Account>(std::move(account));
}

Result<std::optional<AccountId>> account_id_by_phone(Db& db, std::string_view phone) {
  auto query = BULWARK_TRY(db.prepare(find_id_by_phone));
  query.bind(phone);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<AccountId>{};
  auto id = BULWARK_TRY(account_id_at(query, 0));
  return std::optional<AccountId>(id);
}

Result<void> create_account(Db& db, const NewAccount& account) {
  auto statement = BULWARK_TRY(db.prepare(insert_account));
  bind_id(statement, account.id)
      .bind(account.phone)
      .bind(account.identity_key)
      .bind(std::int64_t{account.discoverable ? 1 : 0})
      .bind(account.created_at_ms);
  return statement.finish();
}

Result<void> start_over(Db& db, const AccountId& id, const NewAccount& account) {
  auto reset = BULWARK_TRY(db.prepare(reset_account));
  reset.bind(account.identity_key).bind(std::int64_t{account.discoverable ? 1 : 0});
  bind_id(reset, id);
  BULWARK_TRY(reset.finish());
  auto remove = BULWARK_TRY(db.prepare(delete_devices));
  bind_id(remove, id);
  return remove.finish();
}

// The body of register_account, inside its savepoint.
Result<AccountId> register_in_savepoint(Db& db, const NewAccount& account,
                                        const NewDevice& first_device) {
  const auto existing = BULWARK_TRY(account_id_by_phone(db, account.phone));
  const AccountId id = existing.value_or(account.id);
  if (existing) {
    BULWARK_TRY(start_over(db, id, account));
  } else {
    BULWARK_TRY(create_account(db, account));
  }
  BULWARK_TRY(insert_device(db, DeviceAddress{id, DeviceId{1}}, first_device));
  return id;
}

}  // namespace

Result<AccountId> register_account(Db& db, const NewAccount& account,
                                   const NewDevice& first_device) {
  if (account.phone.empty()) return fail(Errc::invalid_argument, "register account: no phone");
  if (account.identity_key.empty()) {
    return fail(Errc::invalid_argument, "register account: no identity key");
  }
  return in_savepoint(db, [&] { return register_in_savepoint(db, account, first_device); });
}

Result<std::optional<Account>> account(Db& db, const AccountId& id) {
  auto query = BULWARK_TRY(db.prepare(select_by_id));
  bind_id(query, id);
  return single_account(query);
}

Result<std::optional<Account>> account_by_phone(Db& db, std::string_view e164) {
  auto query = BULWARK_TRY(db.prepare(select_by_phone));
  query.bind(e164);
  return single_account(query);
}

Result<std::optional<Account>> account_by_username(Db& db, std::string_view username) {
  if (username.empty()) return std::optional<Account>{};
  auto query = BULWARK_TRY(db.prepare(select_by_username));
  query.bind(username);
  return single_account(query);
}

Result<void> set_username(Db& db, const AccountId& id, std::string_view username) {
  auto statement = BULWARK_TRY(db.prepare(update_username));
  // NULL, not '': UNIQUE allows any number of NULLs (in PostgreSQL too), so cleared names
  // never collide.
  if (username.empty()) {
    statement.bind_null();
  } else {
    statement.bind(username);
  }
  bind_id(statement, id);
  BULWARK_TRY(statement.finish());
  if (db.changes() == 0) return fail(Errc::not_found, "set username: no such account");
  return {};
}

Result<void> set_discoverable(Db& db, const AccountId& id, bool discoverable) {
  auto statement = BULWARK_TRY(db.prepare(update_discoverable));
  statement.bind(std::int64_t{discoverable ? 1 : 0});
  bind_id(statement, id);
  BULWARK_TRY(statement.finish());
  if (db.changes() == 0) return fail(Errc::not_found, "set discoverable: no such account");
  return {};
}

}  // namespace bulwark::store::sql
