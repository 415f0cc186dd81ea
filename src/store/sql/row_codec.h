// Binding and reading the store's value types (store/records.h) to and from SQL rows: ids
// are 16-byte blobs, device ids and other 32-bit ids are BIGINT.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

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

// Unsigned values above what SQL's signed 64-bit integers hold map to the largest (a bound such
// as "after seq N" stays a bound).
[[nodiscard]] inline std::int64_t clamp_to_sql(std::uint64_t value) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  return value > static_cast<std::uint64_t>(max) ? max : static_cast<std::int64_t>(value);
}

// A column only ever written from an unsigned value; negative means a corrupt row.
[[nodiscard]] inline Result<std::uint64_t> u64_at(const Statement& row, int column,
                                                  std::string_view op) {
  const std::int64_t value = row.int64_at(column);
  if (value < 0) return fail(Errc::storage, std::string(op) + ": corrupt unsigned column");
  return static_cast<std::uint64_t>(value);
}

}  // namespace bulwark::store::sql
