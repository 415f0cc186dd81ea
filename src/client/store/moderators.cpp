// LocalStore: the operator's moderators, each name's key pinned on first sight.
#include "client/detail/store_impl.h"

namespace bulwark::client {

Result<std::vector<PinnedModerator>> LocalStore::pinned_moderators() const {
  auto rows = BULWARK_TRY(impl_->db.prepare(
      "SELECT name, public_key, pinned_at_ms FROM moderators ORDER BY name"));
  std::vector<PinnedModerator> out;
  while (BULWARK_TRY(rows.step()))
    out.push_back(PinnedModerator{rows.text(0), to_bytes(rows.blob(1)), rows.int64(2)});
  return out;
}

Result<bool> LocalStore::pin_moderator(const PinnedModerator& moderator) {
  if (moderator.public_key.size() != 32)
    return fail(Errc::invalid_length, "a moderator's key is 32 bytes");
  if (moderator.name.empty() || moderator.name.size() > 64)
    return fail(Errc::invalid_argument, "a moderator's name is 1-64 bytes");
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR IGNORE INTO moderators (name, public_key, pinned_at_ms) VALUES (?, ?, ?)"));
  insert.bind_text(1, moderator.name);
  insert.bind_blob(2, moderator.public_key);
  insert.bind_int(3, moderator.pinned_at_ms);
  BULWARK_TRY(insert.run());
  return impl_->db.changes() == 1;
}

}  // namespace bulwark::client
