#include "store/sql/ips.h"

#include "store/limits.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

// CASE rather than SQLite's two-argument MIN/MAX, which PostgreSQL spells LEAST/GREATEST.
constexpr Sql upsert_sighting{
    "record ip",
    "INSERT INTO ip_sightings (account_id, ip, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account_id, ip) DO UPDATE SET "
    "first_seen_ms = CASE WHEN excluded.first_seen_ms < ip_sightings.first_seen_ms "
    "THEN excluded.first_seen_ms ELSE ip_sightings.first_seen_ms END, "
    "last_seen_ms = CASE WHEN excluded.last_seen_ms > ip_sightings.last_seen_ms "
    "THEN excluded.last_seen_ms ELSE ip_sightings.last_seen_ms END"};
constexpr Sql select_sightings{
    "read recent ips",
    "SELECT ip, first_seen_ms, last_seen_ms FROM ip_sightings WHERE account_id = ? "
    "ORDER BY last_seen_ms DESC, ip LIMIT ?"};
constexpr Sql delete_old{"prune ips", "DELETE FROM ip_sightings WHERE last_seen_ms < ?"};

}  // namespace

Result<void> record_ip(Db& db, const AccountId& id, std::string_view ip, std::int64_t seen_at_ms) {
  if (ip.empty()) return fail(Errc::invalid_argument, "record ip: empty address");
  auto statement = BULWARK_TRY(db.prepare(upsert_sighting));
  bind_id(statement, id).bind(ip).bind(seen_at_ms).bind(seen_at_ms);
  return statement.finish();
}

Result<std::vector<IpSighting>> recent_ips(Db& db, const AccountId& id) {
  auto query = BULWARK_TRY(db.prepare(select_sightings));
  bind_id(query, id).bind(static_cast<std::int64_t>(max_recent_ips));
  std::vector<IpSighting> out;
  for (;;) {
    const bool row = BULWARK_TRY(query.step());
    if (!row) break;
    out.push_back(IpSighting{query.text_at(0), query.int64_at(1), query.int64_at(2)});
  }
  return out;
}

Result<std::uint64_t> prune_ips(Db& db, std::int64_t before_ms) {
  auto statement = BULWARK_TRY(db.prepare(delete_old));
  statement.bind(before_ms);
  BULWARK_TRY(statement.finish());
  return static_cast<std::uint64_t>(db.changes());
}

}  // namespace bulwark::store::sql
