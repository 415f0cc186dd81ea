// LocalStore's MLS group tables (client/group_store.h, schema v7).
#include "client/detail/store_impl.h"
#include "client/group_store.h"

namespace bulwark::client {
namespace {

Result<void> check_group_id(ByteView group_id) {
  if (group_id.size() != group_id_bytes)
    return fail(Errc::invalid_length, "a group id is 32 bytes");
  return {};
}

Result<std::uint32_t> count_rows(detail::Statement& row) {
  if (!BULWARK_TRY(row.step())) return fail(Errc::storage, "local database: count gave no row");
  return static_cast<std::uint32_t>(row.int64(0));
}

}  // namespace

Result<std::optional<MlsSigner>> GroupStore::signer() const {
  auto row =
      BULWARK_TRY(store_.impl_->db.prepare("SELECT seed, credential FROM mls_signer WHERE id = 1"));
  if (!BULWARK_TRY(row.step())) return std::optional<MlsSigner>();
  return std::optional<MlsSigner>(
      MlsSigner{SecretBytes::copy_of(row.blob(0)), to_bytes(row.blob(1))});
}

Result<void> GroupStore::save_signer(const MlsSigner& signer) {
  if (signer.seed.size() != 32) return fail(Errc::invalid_length, "an MLS signer seed is 32 bytes");
  auto insert = BULWARK_TRY(
      store_.impl_->db.prepare("INSERT INTO mls_signer (id, seed, credential) VALUES (1, ?, ?)"));
  insert.bind_blob(1, signer.seed.view()).bind_blob(2, signer.credential);
  return insert.run();
}

Result<void> GroupStore::add_key_package(const StoredKeyPackage& package) {
  if (package.private_keys.size() != 64)
    return fail(Errc::invalid_length, "a KeyPackage's private keys are 64 bytes");
  auto count = BULWARK_TRY(store_.impl_->db.prepare("SELECT count(*) FROM mls_key_packages"));
  if (BULWARK_TRY(count_rows(count)) >= max_stored_key_packages) {
    // The oldest one-time package goes: the server hands packages out oldest first and holds
    // at most 100, so it was taken long ago by someone who never added this device.
    auto oldest = BULWARK_TRY(store_.impl_->db.prepare(
        "DELETE FROM mls_key_packages WHERE ref = (SELECT ref FROM mls_key_packages"
        " WHERE last_resort = 0 ORDER BY created_at_ms, ref LIMIT 1)"));
    BULWARK_TRY(oldest.run());
    if (store_.impl_->db.changes() == 0)
      return fail(Errc::capacity_exceeded, "too many KeyPackages stored");
  }
  auto insert = BULWARK_TRY(store_.impl_->db.prepare(
      "INSERT INTO mls_key_packages (ref, key_package, private, last_resort, created_at_ms)"
      " VALUES (?, ?, ?, ?, ?)"));
  insert.bind_blob(1, package.ref)
      .bind_blob(2, package.key_package)
      .bind_blob(3, package.private_keys.view())
      .bind_int(4, package.last_resort ? 1 : 0)
      .bind_int(5, package.created_at_ms);
  return insert.run();
}

Result<std::vector<StoredKeyPackage>> GroupStore::key_packages() const {
  auto rows = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT ref, key_package, private, last_resort, created_at_ms FROM mls_key_packages"
      " ORDER BY created_at_ms, ref LIMIT ?"));
  rows.bind_int(1, static_cast<std::int64_t>(max_stored_key_packages));
  std::vector<StoredKeyPackage> out;
  while (BULWARK_TRY(rows.step())) {
    out.push_back(StoredKeyPackage{to_bytes(rows.blob(0)), to_bytes(rows.blob(1)),
                                   SecretBytes::copy_of(rows.blob(2)), rows.int64(3) != 0,
                                   rows.int64(4)});
  }
  return out;
}

Result<std::uint32_t> GroupStore::key_package_count(bool last_resort) const {
  auto count = BULWARK_TRY(
      store_.impl_->db.prepare("SELECT count(*) FROM mls_key_packages WHERE last_resort = ?"));
  count.bind_int(1, last_resort ? 1 : 0);
  return count_rows(count);
}

Result<void> GroupStore::consume_key_package(ByteView ref) {
  auto remove = BULWARK_TRY(
      store_.impl_->db.prepare("DELETE FROM mls_key_packages WHERE ref = ? AND last_resort = 0"));
  remove.bind_blob(1, ref);
  return remove.run();
}

Result<std::optional<StoredGroup>> GroupStore::group(ByteView group_id) const {
  BULWARK_TRY(check_group_id(group_id));
  auto row = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT name, state, epoch, closed FROM mls_groups WHERE group_id = ?"));
  row.bind_blob(1, group_id);
  if (!BULWARK_TRY(row.step())) return std::optional<StoredGroup>();
  StoredGroup out;
  out.group_id = to_bytes(group_id);
  out.name = row.text(0);
  if (!row.is_null(1)) out.state = SecretBytes::copy_of(row.blob(1));
  out.epoch = static_cast<std::uint64_t>(row.int64(2));
  out.closed = row.int64(3) != 0;
  return std::optional<StoredGroup>(std::move(out));
}

Result<std::vector<StoredGroup>> GroupStore::groups() const {
  auto rows = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT group_id, name, epoch, closed FROM mls_groups ORDER BY name, group_id LIMIT ?"));
  rows.bind_int(1, static_cast<std::int64_t>(max_groups));
  std::vector<StoredGroup> out;
  while (BULWARK_TRY(rows.step())) {
    StoredGroup group;
    group.group_id = to_bytes(rows.blob(0));
    group.name = rows.text(1);
    group.epoch = static_cast<std::uint64_t>(rows.int64(2));
    group.closed = rows.int64(3) != 0;
    out.push_back(std::move(group));
  }
  return out;
}

Result<void> GroupStore::save_group(const StoredGroup& group) {
  BULWARK_TRY(check_group_id(group.group_id));
  if (!group.closed && !group.state)
    return fail(Errc::invalid_argument, "an open group has a state");
  // UPDATE first, INSERT when absent: INSERT OR REPLACE would delete the row and with it the
  // group's commit history (ON DELETE CASCADE).
  auto update = BULWARK_TRY(store_.impl_->db.prepare(
      "UPDATE mls_groups SET name = ?, state = ?, epoch = ?, closed = ? WHERE group_id = ?"));
  update.bind_text(1, group.name);
  if (group.state) {
    update.bind_blob(2, group.state->view());
  } else {
    update.bind_null(2);
  }
  update.bind_int(3, static_cast<std::int64_t>(group.epoch))
      .bind_int(4, group.closed ? 1 : 0)
      .bind_blob(5, group.group_id);
  BULWARK_TRY(update.run());
  if (store_.impl_->db.changes() > 0) return {};
  auto insert = BULWARK_TRY(store_.impl_->db.prepare(
      "INSERT INTO mls_groups (group_id, name, state, epoch, closed) VALUES (?, ?, ?, ?, ?)"));
  insert.bind_blob(1, group.group_id).bind_text(2, group.name);
  if (group.state) {
    insert.bind_blob(3, group.state->view());
  } else {
    insert.bind_null(3);
  }
  insert.bind_int(4, static_cast<std::int64_t>(group.epoch)).bind_int(5, group.closed ? 1 : 0);
  return insert.run();
}

Result<void> GroupStore::delete_group(ByteView group_id) {
  BULWARK_TRY(check_group_id(group_id));
  auto remove = BULWARK_TRY(store_.impl_->db.prepare("DELETE FROM mls_groups WHERE group_id = ?"));
  remove.bind_blob(1, group_id);
  return remove.run();
}

Result<void> GroupStore::record_commit(ByteView group_id, std::uint64_t epoch,
                                       ByteView commit_hash) {
  BULWARK_TRY(check_group_id(group_id));
  if (commit_hash.size() != 32) return fail(Errc::invalid_length, "a commit hash is 32 bytes");
  auto insert = BULWARK_TRY(store_.impl_->db.prepare(
      "INSERT OR REPLACE INTO mls_commits (group_id, epoch, commit_hash) VALUES (?, ?, ?)"));
  insert.bind_blob(1, group_id)
      .bind_int(2, static_cast<std::int64_t>(epoch))
      .bind_blob(3, commit_hash);
  BULWARK_TRY(insert.run());
  if (epoch < max_commit_history) return {};
  auto prune = BULWARK_TRY(
      store_.impl_->db.prepare("DELETE FROM mls_commits WHERE group_id = ? AND epoch <= ?"));
  prune.bind_blob(1, group_id).bind_int(2, static_cast<std::int64_t>(epoch - max_commit_history));
  return prune.run();
}

Result<std::optional<Bytes>> GroupStore::commit_hash(ByteView group_id, std::uint64_t epoch) const {
  BULWARK_TRY(check_group_id(group_id));
  auto row = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT commit_hash FROM mls_commits WHERE group_id = ? AND epoch = ?"));
  row.bind_blob(1, group_id).bind_int(2, static_cast<std::int64_t>(epoch));
  if (!BULWARK_TRY(row.step())) return std::optional<Bytes>();
  return std::optional<Bytes>(to_bytes(row.blob(0)));
}

Result<void> GroupStore::save_pending_commit(ByteView group_id, const PendingCommit& pending) {
  BULWARK_TRY(check_group_id(group_id));
  if (pending.commit_hash.size() != 32)
    return fail(Errc::invalid_length, "a commit hash is 32 bytes");
  auto insert = BULWARK_TRY(store_.impl_->db.prepare(
      "INSERT OR REPLACE INTO mls_pending_commits (group_id, epoch, state, commit_hash, event)"
      " VALUES (?, ?, ?, ?, ?)"));
  insert.bind_blob(1, group_id)
      .bind_int(2, static_cast<std::int64_t>(pending.epoch))
      .bind_blob(3, pending.state.view())
      .bind_blob(4, pending.commit_hash)
      .bind_text(5, pending.event);
  return insert.run();
}

Result<std::optional<PendingCommit>> GroupStore::pending_commit(ByteView group_id) const {
  BULWARK_TRY(check_group_id(group_id));
  auto row = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT epoch, state, commit_hash, event FROM mls_pending_commits WHERE group_id = ?"));
  row.bind_blob(1, group_id);
  if (!BULWARK_TRY(row.step())) return std::optional<PendingCommit>();
  return std::optional<PendingCommit>(PendingCommit{static_cast<std::uint64_t>(row.int64(0)),
                                                    SecretBytes::copy_of(row.blob(1)),
                                                    to_bytes(row.blob(2)), row.text(3)});
}

Result<void> GroupStore::clear_pending_commit(ByteView group_id) {
  BULWARK_TRY(check_group_id(group_id));
  auto remove =
      BULWARK_TRY(store_.impl_->db.prepare("DELETE FROM mls_pending_commits WHERE group_id = ?"));
  remove.bind_blob(1, group_id);
  return remove.run();
}

Result<std::uint64_t> GroupStore::add_event(std::string_view event) {
  auto insert =
      BULWARK_TRY(store_.impl_->db.prepare("INSERT INTO mls_group_events (event) VALUES (?)"));
  insert.bind_text(1, event);
  BULWARK_TRY(insert.run());
  return static_cast<std::uint64_t>(store_.impl_->db.last_insert_rowid());
}

Result<std::vector<StoredGroupEvent>> GroupStore::unshown_events(std::uint32_t limit) const {
  if (limit > max_group_events_batch) return fail(Errc::invalid_argument, "batch over 1000 events");
  auto rows = BULWARK_TRY(store_.impl_->db.prepare(
      "SELECT seq, event FROM mls_group_events WHERE shown = 0 ORDER BY seq LIMIT ?"));
  rows.bind_int(1, limit);
  std::vector<StoredGroupEvent> out;
  while (BULWARK_TRY(rows.step()))
    out.push_back(StoredGroupEvent{static_cast<std::uint64_t>(rows.int64(0)), rows.text(1)});
  return out;
}

Result<void> GroupStore::mark_event_shown(std::uint64_t seq) {
  // Shown events are deleted: the group's history is the members' to keep, not this table's.
  auto remove = BULWARK_TRY(store_.impl_->db.prepare("DELETE FROM mls_group_events WHERE seq = ?"));
  remove.bind_int(1, static_cast<std::int64_t>(seq));
  BULWARK_TRY(remove.run());
  if (store_.impl_->db.changes() == 0) return fail(Errc::not_found, "no such group event");
  return {};
}

}  // namespace bulwark::client
