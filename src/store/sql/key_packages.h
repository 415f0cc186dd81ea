// MLS KeyPackages in SQL (store/group_store.h): a device's one-time packages, one row each,
// handed out once in upload order, and its last-resort package, handed out again and again.
#pragma once

#include <optional>
#include <span>

#include "common/result.h"
#include "store/group_records.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Each is Errc::not_found for an unknown device.
[[nodiscard]] Result<void> add_key_packages(Db& db, const DeviceAddress& device,
                                            std::span<const KeyPackage> packages);
[[nodiscard]] Result<void> set_last_resort_key_package(Db& db, const DeviceAddress& device,
                                                       ByteView package);
[[nodiscard]] Result<KeyPackageCounts> key_package_counts(Db& db, const DeviceAddress& device);
[[nodiscard]] Result<std::optional<TakenKeyPackage>> take_key_package(Db& db,
                                                                      const DeviceAddress& device);

}  // namespace bulwark::store::sql
