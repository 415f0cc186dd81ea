// Store::release_orphaned_contents (store/group_store.h): delivery bytes no queued copy names.
#include <limits>

#include "store/sql/groups.h"

namespace bulwark::store::sql {
namespace {

constexpr std::uint32_t max_orphan_sweep = 10'000;

constexpr Sql window_end{"sweep shared contents: window",
                         "SELECT MAX(id) FROM (SELECT id FROM shared_contents WHERE id > ? "
                         "ORDER BY id LIMIT ?) w"};
// A content that a send is writing is not visible here before its copies are (one
// transaction), and one whose last copy another session is deleting still has that copy: only
// contents whose every copy is gone for good are deleted.
constexpr Sql delete_orphans{
    "sweep shared contents",
    "DELETE FROM shared_contents WHERE id > ? AND id <= ? AND NOT EXISTS "
    "(SELECT 1 FROM envelopes e WHERE e.shared_content = shared_contents.id)"};

}  // namespace

Result<OrphanSweep> release_orphaned_contents(Db& db, std::uint64_t after, std::uint32_t limit) {
  if (limit == 0 || limit > max_orphan_sweep) {
    return fail(Errc::invalid_argument, "sweep shared contents: the limit is 1-10,000");
  }
  if (after >= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return OrphanSweep{};
  }
  const auto from = static_cast<std::int64_t>(after);
  std::int64_t to = 0;
  {
    auto query = BULWARK_TRY(db.prepare(window_end));
    query.bind(from).bind(static_cast<std::int64_t>(limit));
    const bool row = BULWARK_TRY(query.step());
    if (!row || query.is_null(0)) return OrphanSweep{};  // nothing after `after`: start over
    to = query.int64_at(0);
  }
  auto sweep = BULWARK_TRY(db.prepare(delete_orphans));
  sweep.bind(from).bind(to);
  BULWARK_TRY(sweep.finish());
  return OrphanSweep{static_cast<std::uint32_t>(db.changes()), static_cast<std::uint64_t>(to)};
}

}  // namespace bulwark::store::sql
