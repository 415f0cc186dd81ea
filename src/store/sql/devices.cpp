#include "store/sql/devices.h"

#include <limits>

#include "store/sql/prekeys.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql claim_device_id{
    "claim device id",
    "UPDATE accounts SET next_device_id = next_device_id + 1 WHERE id = ? "
    "RETURNING next_device_id - 1"};
constexpr Sql insert_device_row{
    "insert device",
    "INSERT INTO devices (account_id, device_id, registration_id, auth_key, name, created_at_ms, "
    "signed_pre_key_id, signed_pre_key, signed_pre_key_signature) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"};
// Beside the device row, not in it (migration 15): logins and sends read that row.
constexpr Sql insert_last_resort_row{
    "insert last-resort kyber prekey",
    "INSERT INTO last_resort_kyber_keys (account_id, device_id, key_id, public_key, signature) "
    "VALUES (?, ?, ?, ?, ?)"};
constexpr Sql select_devices{
    "read devices",
    "SELECT device_id, registration_id, auth_key, name, created_at_ms FROM devices "
    "WHERE account_id = ? ORDER BY device_id"};
constexpr Sql select_registrations{
    "read device registrations",
    "SELECT device_id, registration_id FROM devices WHERE account_id = ? ORDER BY device_id"};
constexpr Sql select_device{
    "read device",
    "SELECT device_id, registration_id, auth_key, name, created_at_ms FROM devices "
    "WHERE account_id = ? AND device_id = ?"};
constexpr Sql account_exists{"find account", "SELECT 1 FROM accounts WHERE id = ?"};

Result<Device> device_from_row(const Statement& row) {
  const DeviceId id = BULWARK_TRY(device_id_at(row, 0));
  const std::uint32_t registration_id = BULWARK_TRY(row.u32_at(1));
  Device device;
  device.id = id;
  device.registration_id = RegistrationId{registration_id};
  device.auth_key = row.blob_at(2);
  device.name = row.text_at(3);
  device.created_at_ms = row.int64_at(4);
  return device;
}

Result<bool> has_account(Db& db, const AccountId& id) {
  auto query = BULWARK_TRY(db.prepare(account_exists));
  bind_id(query, id);
  return query.step();
}

// The next device id of the account, counted on; nullopt for an unknown account.
Result<std::optional<DeviceId>> next_device_id(Db& db, const AccountId& id) {
  auto statement = BULWARK_TRY(db.prepare(claim_device_id));
  bind_id(statement, id);
  const bool found = BULWARK_TRY(statement.step());
  if (!found) return std::optional<DeviceId>{};
  const std::int64_t next = statement.int64_at(0);
  BULWARK_TRY(statement.finish());
  if (next < 1 || next > std::numeric_limits<std::uint32_t>::max()) {
    return fail(Errc::conflict, "add device: the account has used every device id");
  }
  return std::optional<DeviceId>(DeviceId{static_cast<std::uint32_t>(next)});
}

Result<DeviceId> add_in_savepoint(Db& db, const AccountId& id, const NewDevice& device) {
  const auto device_id = BULWARK_TRY(next_device_id(db, id));
  if (!device_id) return fail(Errc::not_found, "add device: no such account");
  BULWARK_TRY(insert_device(db, DeviceAddress{id, *device_id}, device));
  return *device_id;
}

}  // namespace

Result<void> insert_device(Db& db, const DeviceAddress& address, const NewDevice& device) {
  auto statement = BULWARK_TRY(db.prepare(insert_device_row));
  bind_address(statement, address)
      .bind(static_cast<std::int64_t>(device.registration_id.value()))
      .bind(device.auth_key)
      .bind(device.name)
      .bind(device.created_at_ms)
      .bind(static_cast<std::int64_t>(device.signed_pre_key.id))
      .bind(device.signed_pre_key.public_key)
      .bind(device.signed_pre_key.signature);
  BULWARK_TRY(statement.finish());
  auto last_resort = BULWARK_TRY(db.prepare(insert_last_resort_row));
  bind_address(last_resort, address)
      .bind(static_cast<std::int64_t>(device.last_resort_kyber_pre_key.id))
      .bind(device.last_resort_kyber_pre_key.public_key)
      .bind(device.last_resort_kyber_pre_key.signature);
  BULWARK_TRY(last_resort.finish());
  BULWARK_TRY(write_pre_keys(db, address, device.pre_keys));
  return write_kyber_pre_keys(db, address, device.kyber_pre_keys);
}

Result<DeviceId> add_device(Db& db, const AccountId& id, const NewDevice& device) {
  return in_savepoint(db, [&] { return add_in_savepoint(db, id, device); });
}

Result<std::vector<Device>> devices(Db& db, const AccountId& id) {
  std::vector<Device> out;
  {
    auto query = BULWARK_TRY(db.prepare(select_devices));
    bind_id(query, id);
    for (;;) {
      const bool row = BULWARK_TRY(query.step());
      if (!row) break;
      auto device = BULWARK_TRY(device_from_row(query));
      out.push_back(std::move(device));
    }
  }
  // Every account has a device, so an empty list means there is no such account.
  if (out.empty()) {
    const bool exists = BULWARK_TRY(has_account(db, id));
    if (!exists) return fail(Errc::not_found, "read devices: no such account");
  }
  return out;
}

Result<std::vector<DeviceRegistration>> device_registrations(Db& db, const AccountId& id) {
  std::vector<DeviceRegistration> out;
  {
    auto query = BULWARK_TRY(db.prepare(select_registrations));
    bind_id(query, id);
    while (BULWARK_TRY(query.step())) {
      const DeviceId device = BULWARK_TRY(device_id_at(query, 0));
      const std::uint32_t registration_id = BULWARK_TRY(query.u32_at(1));
      out.push_back(DeviceRegistration{device, RegistrationId{registration_id}});
    }
  }
  // As devices(): every account has a device.
  if (out.empty()) {
    const bool exists = BULWARK_TRY(has_account(db, id));
    if (!exists) return fail(Errc::not_found, "read device registrations: no such account");
  }
  return out;
}

Result<std::optional<Device>> device(Db& db, const AccountId& id, DeviceId device) {
  auto query = BULWARK_TRY(db.prepare(select_device));
  bind_id(query, id);
  bind_device(query, device);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<Device>{};
  auto row = BULWARK_TRY(device_from_row(query));
  return std::optional<Device>(std::move(row));
}

}  // namespace bulwark::store::sql
