#include "store/sql/signed_requests.h"

namespace bulwark::store::sql {
namespace {

// Expired rows are swept by whichever request comes next: admin requests are few, and a
// signature whose time has left the clock window is refused by the clock check anyway.
// Kept while now <= expires_at_ms: the clock check accepts a request up to the last moment.
constexpr Sql forget_expired{"forget expired signed requests",
                             "DELETE FROM signed_requests WHERE expires_at_ms < ?"};
constexpr Sql count_recorded{"count signed requests", "SELECT COUNT(*) FROM signed_requests"};
// The key decides: of two nodes admitting one signature at once, the second insert waits for
// the first's commit and then changes nothing.
constexpr Sql record_signature{"record signed request",
                               "INSERT INTO signed_requests (signature, expires_at_ms) "
                               "VALUES (?, ?) ON CONFLICT (signature) DO NOTHING"};

}  // namespace

Result<void> admit_signed_request(Db& db, ByteView signature, std::int64_t expires_at_ms,
                                  std::int64_t now_ms, std::size_t capacity) {
  if (signature.empty() || signature.size() > max_signed_request_signature_bytes) {
    return fail(Errc::invalid_argument, "admit signed request: the signature must be 1-64 bytes");
  }
  return in_savepoint(db, [&]() -> Result<void> {
    {
      auto sweep = BULWARK_TRY(db.prepare(forget_expired));
      sweep.bind(now_ms);
      BULWARK_TRY(sweep.finish());
    }
    std::int64_t recorded = 0;
    {
      auto count = BULWARK_TRY(db.prepare(count_recorded));
      if (!BULWARK_TRY(count.step())) return fail(Errc::storage, "count signed requests: no row");
      recorded = count.int64_at(0);
      BULWARK_TRY(count.finish());
    }
    auto insert = BULWARK_TRY(db.prepare(record_signature));
    insert.bind(signature).bind(expires_at_ms);
    BULWARK_TRY(insert.finish());
    if (db.changes() != 1) {
      return fail(Errc::conflict,
                  "replayed request: this signature was already used; sign the request again");
    }
    // Counted before the insert, so a replay is reported as one even when the table is full.
    if (recorded >= static_cast<std::int64_t>(capacity)) {
      return fail(Errc::unavailable, "too many admin requests in the last minutes; retry");
    }
    return {};
  });
}

}  // namespace bulwark::store::sql
