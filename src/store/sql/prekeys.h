// Prekeys in SQL: each device's signed prekey and last-resort Kyber key (columns of its
// row) and its one-time EC and Kyber keys (one row each), handed out once (store/store.h).
#pragma once

#include <span>

#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// Each is Errc::not_found for an unknown device.
[[nodiscard]] Result<void> set_signed_pre_key(Db& db, const DeviceAddress& device,
                                              const SignedKey& key);
[[nodiscard]] Result<void> set_last_resort_kyber_pre_key(Db& db, const DeviceAddress& device,
                                                         const SignedKey& key);
[[nodiscard]] Result<void> add_pre_keys(Db& db, const DeviceAddress& device,
                                        std::span<const OneTimeKey> keys);
[[nodiscard]] Result<void> add_kyber_pre_keys(Db& db, const DeviceAddress& device,
                                              std::span<const SignedKey> keys);
[[nodiscard]] Result<PreKeyCounts> pre_key_counts(Db& db, const DeviceAddress& device);
// Consumes the lowest-numbered one-time keys, so keys go out in upload order.
[[nodiscard]] Result<PreKeyBundle> take_pre_key_bundle(Db& db, const DeviceAddress& device);

// add_pre_keys / add_kyber_pre_keys without their savepoint: the caller holds one.
[[nodiscard]] Result<void> write_pre_keys(Db& db, const DeviceAddress& device,
                                          std::span<const OneTimeKey> keys);
[[nodiscard]] Result<void> write_kyber_pre_keys(Db& db, const DeviceAddress& device,
                                                std::span<const SignedKey> keys);

}  // namespace bulwark::store::sql
