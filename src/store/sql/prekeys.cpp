#include "store/sql/prekeys.h"

#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql update_signed{
    "set signed prekey",
    "UPDATE devices SET signed_pre_key_id = ?, signed_pre_key = ?, signed_pre_key_signature = ? "
    "WHERE account_id = ? AND device_id = ?"};
constexpr Sql update_last_resort{
    "set last-resort kyber prekey",
    "UPDATE last_resort_kyber_keys SET key_id = ?, public_key = ?, signature = ? "
    "WHERE account_id = ? AND device_id = ?"};
constexpr Sql upsert_pre_key{
    "add prekey",
    "INSERT INTO pre_keys (account_id, device_id, key_id, public_key) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account_id, device_id, key_id) DO UPDATE SET public_key = excluded.public_key"};
constexpr Sql upsert_kyber_pre_key{
    "add kyber prekey",
    "INSERT INTO kyber_pre_keys (account_id, device_id, key_id, public_key, signature) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, device_id, key_id) "
    "DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature"};
// Reading from devices makes an unknown device "no row" rather than zero counts.
constexpr Sql count_keys{
    "count prekeys",
    "SELECT (SELECT COUNT(*) FROM pre_keys WHERE account_id = ? AND device_id = ?), "
    "(SELECT COUNT(*) FROM kyber_pre_keys WHERE account_id = ? AND device_id = ?) "
    "FROM devices WHERE account_id = ? AND device_id = ?"};
constexpr Sql select_bundle{"read prekey bundle",
                            "SELECT d.registration_id, d.signed_pre_key_id, d.signed_pre_key, "
                            "d.signed_pre_key_signature, k.key_id, k.public_key, k.signature "
                            "FROM devices d JOIN last_resort_kyber_keys k "
                            "ON k.account_id = d.account_id AND k.device_id = d.device_id "
                            "WHERE d.account_id = ? AND d.device_id = ?"};
// One statement finds and deletes the key, so it is handed out once. (PostgreSQL with
// concurrent writers would add FOR UPDATE SKIP LOCKED to the inner SELECT.)
constexpr Sql take_pre_key{
    "take prekey",
    "DELETE FROM pre_keys WHERE account_id = ? AND device_id = ? AND key_id = "
    "(SELECT MIN(key_id) FROM pre_keys WHERE account_id = ? AND device_id = ?) "
    "RETURNING key_id, public_key"};
constexpr Sql take_kyber_pre_key{
    "take kyber prekey",
    "DELETE FROM kyber_pre_keys WHERE account_id = ? AND device_id = ? AND key_id = "
    "(SELECT MIN(key_id) FROM kyber_pre_keys WHERE account_id = ? AND device_id = ?) "
    "RETURNING key_id, public_key, signature"};

Result<SignedKey> signed_key_at(const Statement& row, int first_column) {
  const std::uint32_t id = BULWARK_TRY(row.u32_at(first_column));
  return SignedKey{id, row.blob_at(first_column + 1), row.blob_at(first_column + 2)};
}

Result<void> update_device_key(Db& db, Sql sql, const DeviceAddress& device, const SignedKey& key) {
  auto statement = BULWARK_TRY(db.prepare(sql));
  statement.bind(static_cast<std::int64_t>(key.id)).bind(key.public_key).bind(key.signature);
  bind_address(statement, device);
  BULWARK_TRY(statement.finish());
  if (db.changes() == 0) return fail(Errc::not_found, std::string(sql.op) + ": no such device");
  return {};
}

// The bundle with the last-resort Kyber key; nullopt for an unknown device.
Result<std::optional<PreKeyBundle>> bundle_head(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(select_bundle));
  bind_address(query, device);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<PreKeyBundle>{};
  const std::uint32_t registration_id = BULWARK_TRY(query.u32_at(0));
  auto signed_pre_key = BULWARK_TRY(signed_key_at(query, 1));
  auto last_resort = BULWARK_TRY(signed_key_at(query, 4));
  PreKeyBundle bundle;
  bundle.device = device.device;
  bundle.registration_id = RegistrationId{registration_id};
  bundle.signed_pre_key = std::move(signed_pre_key);
  bundle.kyber_pre_key = std::move(last_resort);
  bundle.kyber_is_last_resort = true;
  return std::optional<PreKeyBundle>(std::move(bundle));
}

// Deletes and returns the device's lowest one-time key of `sql`'s table, if any is left.
Result<std::optional<SignedKey>> take_lowest(Db& db, Sql sql, const DeviceAddress& device,
                                             bool has_signature) {
  auto statement = BULWARK_TRY(db.prepare(sql));
  bind_address(statement, device);
  bind_address(statement, device);
  const bool found = BULWARK_TRY(statement.step());
  if (!found) return std::optional<SignedKey>{};
  const std::uint32_t id = BULWARK_TRY(statement.u32_at(0));
  SignedKey key{id, statement.blob_at(1), has_signature ? statement.blob_at(2) : Bytes{}};
  BULWARK_TRY(statement.finish());
  return std::optional<SignedKey>(std::move(key));
}

Result<PreKeyBundle> take_in_savepoint(Db& db, const DeviceAddress& device) {
  auto head = BULWARK_TRY(bundle_head(db, device));
  if (!head) return fail(Errc::not_found, "take prekey bundle: no such device");
  PreKeyBundle bundle = std::move(*head);
  auto kyber = BULWARK_TRY(take_lowest(db, take_kyber_pre_key, device, true));
  if (kyber) {
    bundle.kyber_pre_key = std::move(*kyber);
    bundle.kyber_is_last_resort = false;
  }
  auto ec = BULWARK_TRY(take_lowest(db, take_pre_key, device, false));
  if (ec) bundle.pre_key = OneTimeKey{ec->id, std::move(ec->public_key)};
  return bundle;
}

}  // namespace

Result<void> set_signed_pre_key(Db& db, const DeviceAddress& device, const SignedKey& key) {
  return update_device_key(db, update_signed, device, key);
}

Result<void> set_last_resort_kyber_pre_key(Db& db, const DeviceAddress& device,
                                           const SignedKey& key) {
  return update_device_key(db, update_last_resort, device, key);
}

Result<void> write_pre_keys(Db& db, const DeviceAddress& device, std::span<const OneTimeKey> keys) {
  for (const OneTimeKey& key : keys) {
    auto statement = BULWARK_TRY(db.prepare(upsert_pre_key));
    bind_address(statement, device).bind(static_cast<std::int64_t>(key.id)).bind(key.public_key);
    BULWARK_TRY(statement.finish());
  }
  return {};
}

Result<void> write_kyber_pre_keys(Db& db, const DeviceAddress& device,
                                  std::span<const SignedKey> keys) {
  for (const SignedKey& key : keys) {
    auto statement = BULWARK_TRY(db.prepare(upsert_kyber_pre_key));
    bind_address(statement, device)
        .bind(static_cast<std::int64_t>(key.id))
        .bind(key.public_key)
        .bind(key.signature);
    BULWARK_TRY(statement.finish());
  }
  return {};
}

Result<void> add_pre_keys(Db& db, const DeviceAddress& device, std::span<const OneTimeKey> keys) {
  return in_savepoint(db, [&] { return write_pre_keys(db, device, keys); });
}

Result<void> add_kyber_pre_keys(Db& db, const DeviceAddress& device,
                                std::span<const SignedKey> keys) {
  return in_savepoint(db, [&] { return write_kyber_pre_keys(db, device, keys); });
}

Result<PreKeyCounts> pre_key_counts(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(count_keys));
  bind_address(query, device);
  bind_address(query, device);
  bind_address(query, device);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return fail(Errc::not_found, "count prekeys: no such device");
  const std::uint32_t pre_keys = BULWARK_TRY(query.u32_at(0));
  const std::uint32_t kyber_pre_keys = BULWARK_TRY(query.u32_at(1));
  return PreKeyCounts{pre_keys, kyber_pre_keys};
}

Result<PreKeyBundle> take_pre_key_bundle(Db& db, const DeviceAddress& device) {
  return in_savepoint(db, [&] { return take_in_savepoint(db, device); });
}

}  // namespace bulwark::store::sql
