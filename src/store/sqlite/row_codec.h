// Binding and reading the store's value types (store/records.h) to and from SQLite rows: ids
// are 16-byte blobs, device ids and other 32-bit ids are BIGINT.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"
#include "store/sqlite/db.h"

namespace bulwark::store::sqlite {

inline Statement& bind_id(Statement& statement, const AccountId& id) {
  return statement.bind(view_of(id.bytes));
}

inline Statement& bind_id(Statement& statement, const EnvelopeId& id) {
  return statement.bind(view_of(id.bytes));
}

inline Statement& bind_device(Statement& statement, DeviceId device) {
  return statement.bind(static_cast<std::int64_t>(device.value()));
}

// Binds account id then device id: the (account_id, device_id) pair every device key uses.
inline Statement& bind_address(Statement& statement, const DeviceAddress& address) {
  bind_id(statement, address.account);
  return bind_device(statement, address.device);
}

[[nodiscard]] inline Result<AccountId> account_id_at(const Statement& statement, int column) {
  auto bytes = BULWARK_TRY(statement.array_at<16>(column));
  return AccountId{bytes};
}

[[nodiscard]] inline Result<EnvelopeId> envelope_id_at(const Statement& statement, int column) {
  auto bytes = BULWARK_TRY(statement.array_at<16>(column));
  return EnvelopeId{bytes};
}

[[nodiscard]] inline Result<DeviceId> device_id_at(const Statement& statement, int column) {
  const std::uint32_t value = BULWARK_TRY(statement.u32_at(column));
  return DeviceId{value};
}

}  // namespace bulwark::store::sqlite
