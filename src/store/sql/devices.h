// Devices in SQL: each account's devices, their ids and public keys (store/store.h).
// Device ids come from the account's next_device_id, so an id is never handed out twice
// (until a re-registration starts the account over at device 1).
#pragma once

#include <optional>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Errc::not_found for an unknown account.
[[nodiscard]] Result<DeviceId> add_device(Db& db, const AccountId& id, const NewDevice& device);
// In device id order. Errc::not_found for an unknown account.
[[nodiscard]] Result<std::vector<Device>> devices(Db& db, const AccountId& id);
[[nodiscard]] Result<std::vector<DeviceRegistration>> device_registrations(Db& db,
                                                                           const AccountId& id);
[[nodiscard]] Result<std::optional<Device>> device(Db& db, const AccountId& id, DeviceId device);

// Writes the device row and its one-time keys. Several statements: the caller holds a
// savepoint.
[[nodiscard]] Result<void> insert_device(Db& db, const DeviceAddress& address,
                                         const NewDevice& device);

}  // namespace bulwark::store::sql
