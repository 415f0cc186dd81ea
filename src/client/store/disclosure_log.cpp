// LocalStore: the lawful-request disclosure log's keys, pinned on first use
// (client/lawful_notices.h).
#include <algorithm>

#include "client/detail/store_impl.h"

namespace bulwark::client {
namespace {

// Witness vkeys are one per line: a vkey holds no newline (a note key's name cannot).
std::string witness_lines(const std::vector<std::string>& witnesses) {
  std::string out;
  for (const std::string& witness : witnesses) out += witness + "\n";
  return out;
}

std::vector<std::string> witnesses_of(const std::string& lines) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end = lines.find('\n'); end != std::string::npos;
       start = end + 1, end = lines.find('\n', start))
    out.push_back(lines.substr(start, end - start));
  return out;
}

}  // namespace

Result<std::optional<PinnedDisclosureLog>> LocalStore::disclosure_log_pin() const {
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT log_key, witnesses, quorum, pinned_at_ms FROM disclosure_log_pin WHERE id = 1"));
  if (!BULWARK_TRY(row.step())) return std::optional<PinnedDisclosureLog>();
  return std::optional<PinnedDisclosureLog>(
      PinnedDisclosureLog{row.text(0), witnesses_of(row.text(1)),
                          static_cast<std::uint32_t>(row.int64(2)), row.int64(3)});
}

Result<bool> LocalStore::pin_disclosure_log(const PinnedDisclosureLog& log) {
  const bool lines_ok = std::ranges::all_of(log.witnesses, [](const std::string& witness) {
    return !witness.empty() && witness.find('\n') == std::string::npos;
  });
  if (log.log_key.empty() || !lines_ok || log.quorum > log.witnesses.size())
    return fail(Errc::invalid_argument,
                "a disclosure log pin needs a key, witness keys and a quorum within them");
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR IGNORE INTO disclosure_log_pin (id, log_key, witnesses, quorum, pinned_at_ms) "
      "VALUES (1, ?, ?, ?, ?)"));
  insert.bind_text(1, log.log_key)
      .bind_text(2, witness_lines(log.witnesses))
      .bind_int(3, log.quorum)
      .bind_int(4, log.pinned_at_ms);
  BULWARK_TRY(insert.run());
  return impl_->db.changes() == 1;
}

}  // namespace bulwark::client
