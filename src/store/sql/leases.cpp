#include "store/sql/leases.h"

#include "store/limits.h"

namespace bulwark::store::sql {
namespace {

// The WHERE is evaluated against the row as it is once locked (PostgreSQL re-reads it after a
// concurrent update), so of two nodes asking at once only the first changes it.
constexpr Sql upsert_lease{"take lease",
                           "INSERT INTO leases (name, holder, expires_at_ms) VALUES (?, ?, ?) "
                           "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                           "expires_at_ms = excluded.expires_at_ms "
                           "WHERE leases.holder = excluded.holder OR leases.expires_at_ms <= ?"};

}  // namespace

Result<bool> take_lease(Db& db, std::string_view name, ByteView holder, std::int64_t now_ms,
                        std::int64_t until_ms) {
  if (name.empty() || name.size() > max_lease_name_bytes) {
    return fail(Errc::invalid_argument, "take lease: the name must be 1-64 bytes");
  }
  if (holder.empty() || holder.size() > max_lease_holder_bytes) {
    return fail(Errc::invalid_argument, "take lease: the holder must be 1-64 bytes");
  }
  if (until_ms <= now_ms) return fail(Errc::invalid_argument, "take lease: it ends before now");
  auto statement = BULWARK_TRY(db.prepare(upsert_lease));
  statement.bind(name).bind(holder).bind(until_ms).bind(now_ms);
  BULWARK_TRY(statement.finish());
  return db.changes() == 1;
}

}  // namespace bulwark::store::sql
