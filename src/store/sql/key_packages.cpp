#include "store/sql/key_packages.h"

#include <string>

#include "store/group_store.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

// A package the device already holds (same digest) is left as it is: one copy, handed out once.
constexpr Sql insert_key_package{
    "add key package",
    "INSERT INTO key_packages (account_id, device_id, digest, key_package) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account_id, device_id, digest) DO NOTHING"};
constexpr Sql upsert_last_resort{
    "set last-resort key package",
    "INSERT INTO last_resort_key_packages (account_id, device_id, key_package) VALUES (?, ?, ?) "
    "ON CONFLICT (account_id, device_id) DO UPDATE SET key_package = excluded.key_package"};
// Reading from devices makes an unknown device "no row" rather than zero counts.
constexpr Sql count_key_packages{
    "count key packages",
    "SELECT (SELECT COUNT(*) FROM key_packages WHERE account_id = ? AND device_id = ?), "
    "EXISTS (SELECT 1 FROM last_resort_key_packages WHERE account_id = ? AND device_id = ?) "
    "FROM devices WHERE account_id = ? AND device_id = ?"};
constexpr Sql device_exists{"find device",
                            "SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?"};
// One statement finds and deletes the package, so it is handed out once, as take_pre_key does
// (store/sql/prekeys.cpp; PostgreSQL would add FOR UPDATE SKIP LOCKED to the inner SELECT).
constexpr Sql take_one_time{
    "take key package",
    "DELETE FROM key_packages WHERE id = "
    "(SELECT MIN(id) FROM key_packages WHERE account_id = ? AND device_id = ?) "
    "RETURNING key_package"};
constexpr Sql select_last_resort{
    "read last-resort key package",
    "SELECT key_package FROM last_resort_key_packages WHERE account_id = ? AND device_id = ?"};

Result<void> check_size(ByteView package) {
  if (package.empty() || package.size() > max_key_package_bytes) {
    return fail(Errc::invalid_argument, "key package: 1 byte to 16 KiB");
  }
  return {};
}

Result<bool> has_device(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(device_exists));
  bind_address(query, device);
  return query.step();
}

Result<KeyPackageCounts> read_counts(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(count_key_packages));
  bind_address(query, device);
  bind_address(query, device);
  bind_address(query, device);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return fail(Errc::not_found, "count key packages: no such device");
  const std::uint32_t one_time = BULWARK_TRY(query.u32_at(0));
  return KeyPackageCounts{one_time, query.int64_at(1) != 0};
}

// The caller holds a savepoint, so a refusal by the bound leaves nothing added.
Result<void> add_in_savepoint(Db& db, const DeviceAddress& device,
                              std::span<const KeyPackage> packages) {
  const bool exists = BULWARK_TRY(has_device(db, device));
  if (!exists) return fail(Errc::not_found, "add key packages: no such device");
  for (const KeyPackage& package : packages) {
    BULWARK_TRY(check_size(package.bytes));
    if (package.digest.size() != 32) {
      return fail(Errc::invalid_argument, "add key packages: a digest is 32 bytes");
    }
    auto statement = BULWARK_TRY(db.prepare(insert_key_package));
    bind_address(statement, device).bind(package.digest).bind(package.bytes);
    BULWARK_TRY(statement.finish());
  }
  const KeyPackageCounts counts = BULWARK_TRY(read_counts(db, device));
  if (counts.one_time > max_key_packages_per_device) {
    return fail(
        Errc::capacity_exceeded,
        "a device holds at most " + std::to_string(max_key_packages_per_device) + " key packages");
  }
  return {};
}

Result<std::optional<TakenKeyPackage>> take_in_savepoint(Db& db, const DeviceAddress& device) {
  const bool exists = BULWARK_TRY(has_device(db, device));
  if (!exists) return fail(Errc::not_found, "take key package: no such device");
  {
    auto statement = BULWARK_TRY(db.prepare(take_one_time));
    bind_address(statement, device);
    const bool found = BULWARK_TRY(statement.step());
    if (found) {
      TakenKeyPackage taken{statement.blob_at(0), false};
      BULWARK_TRY(statement.finish());
      return std::optional<TakenKeyPackage>(std::move(taken));
    }
  }
  auto query = BULWARK_TRY(db.prepare(select_last_resort));
  bind_address(query, device);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<TakenKeyPackage>{};
  return std::optional<TakenKeyPackage>(TakenKeyPackage{query.blob_at(0), true});
}

}  // namespace

Result<void> add_key_packages(Db& db, const DeviceAddress& device,
                              std::span<const KeyPackage> packages) {
  return in_savepoint(db, [&] { return add_in_savepoint(db, device, packages); });
}

Result<void> set_last_resort_key_package(Db& db, const DeviceAddress& device, ByteView package) {
  BULWARK_TRY(check_size(package));
  return in_savepoint(db, [&]() -> Result<void> {
    const bool exists = BULWARK_TRY(has_device(db, device));
    if (!exists) return fail(Errc::not_found, "set last-resort key package: no such device");
    auto statement = BULWARK_TRY(db.prepare(upsert_last_resort));
    bind_address(statement, device).bind(package);
    return statement.finish();
  });
}

Result<KeyPackageCounts> key_package_counts(Db& db, const DeviceAddress& device) {
  return read_counts(db, device);
}

Result<std::optional<TakenKeyPackage>> take_key_package(Db& db, const DeviceAddress& device) {
  return in_savepoint(db, [&] { return take_in_savepoint(db, device); });
}

}  // namespace bulwark::store::sql
