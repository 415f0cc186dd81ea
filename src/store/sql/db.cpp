#include "store/sql/db.h"

#include <limits>

namespace bulwark::store::sql {

Result<void> Statement::finish() {
  for (;;) {
    const bool row = BULWARK_TRY(step());
    if (!row) return {};
  }
}

Result<std::uint32_t> Statement::u32_at(int column) const {
  const std::int64_t value = int64_at(column);
  if (value < 0 || value > std::numeric_limits<std::uint32_t>::max()) {
    return fail(Errc::storage, std::string(op_) + ": corrupt 32-bit column");
  }
  return static_cast<std::uint32_t>(value);
}

Result<void> Db::execute(Sql sql) {
  auto statement = BULWARK_TRY(prepare(sql));
  return statement.finish();
}

}  // namespace bulwark::store::sql
