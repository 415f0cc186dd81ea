// LocalStore: pinned channels and the seeds of the channel keys this device created
// (client/channels.h). Seeds are read into SecretBytes straight from the row.
#include "channel/entry.h"
#include "client/channel_invite.h"
#include "client/detail/store_impl.h"
#include "crypto/ed25519.h"

namespace bulwark::client {
namespace {

using channel::channel_id_bytes;
using channel::channel_key_bytes;
constexpr std::size_t seed_bytes = crypto::ed25519_seed_bytes;
constexpr std::size_t invite_bytes = invite_secret_bytes;

constexpr std::string_view select_channel =
    "SELECT channel_id, handle, channel_key, is_private, invite, subscribed, cursor, pinned_at_ms "
    "FROM channels";

Result<void> check_channel_id(ByteView id) {
  if (id.size() != channel_id_bytes)
    return fail(Errc::invalid_length, "channel id: expected 16 bytes");
  return {};
}

PinnedChannel read_channel(const detail::Statement& row) {
  PinnedChannel channel;
  channel.channel_id = to_bytes(row.blob(0));
  channel.handle = row.text(1);
  channel.channel_key = to_bytes(row.blob(2));
  channel.is_private = row.int64(3) != 0;
  if (!row.is_null(4)) channel.invite = SecretBytes::copy_of(row.blob(4));
  channel.subscribed = row.int64(5) != 0;
  channel.cursor = static_cast<std::uint64_t>(row.int64(6));
  channel.pinned_at_ms = row.int64(7);
  return channel;
}

// Runs an UPDATE of one channel row; Errc::not_found when no row changed.
Result<void> update_one(detail::Database& db, detail::Statement& statement) {
  BULWARK_TRY(statement.run());
  if (db.changes() == 0) return fail(Errc::not_found, "that channel is not pinned on this device");
  return {};
}

}  // namespace

Result<std::optional<PinnedChannel>> LocalStore::pinned_channel(std::string_view handle) const {
  auto row = BULWARK_TRY(impl_->db.prepare(std::string(select_channel) + " WHERE handle = ?"));
  row.bind_text(1, handle);
  if (!BULWARK_TRY(row.step())) return std::optional<PinnedChannel>();
  return std::optional<PinnedChannel>(read_channel(row));
}

Result<std::optional<PinnedChannel>> LocalStore::pinned_channel_by_id(ByteView id) const {
  BULWARK_TRY(check_channel_id(id));
  auto row = BULWARK_TRY(impl_->db.prepare(std::string(select_channel) + " WHERE channel_id = ?"));
  row.bind_blob(1, id);
  if (!BULWARK_TRY(row.step())) return std::optional<PinnedChannel>();
  return std::optional<PinnedChannel>(read_channel(row));
}

Result<void> LocalStore::pin_channel(const PinnedChannel& channel) {
  BULWARK_TRY(check_channel_id(channel.channel_id));
  if (channel.channel_key.size() != channel_key_bytes)
    return fail(Errc::invalid_length, "channel key: expected 32 bytes");
  if (channel.handle.empty()) return fail(Errc::invalid_argument, "a pinned channel has a handle");
  if (channel.invite && channel.invite->size() != invite_bytes)
    return fail(Errc::invalid_length, "channel invite: expected 32 bytes");
  auto statement = BULWARK_TRY(impl_->db.prepare(
      "INSERT INTO channels (channel_id, handle, channel_key, is_private, invite, subscribed, "
      "cursor, pinned_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  statement.bind_blob(1, channel.channel_id)
      .bind_text(2, channel.handle)
      .bind_blob(3, channel.channel_key)
      .bind_int(4, channel.is_private ? 1 : 0);
  if (channel.invite) {
    statement.bind_blob(5, channel.invite->view());
  } else {
    statement.bind_null(5);
  }
  statement.bind_int(6, channel.subscribed ? 1 : 0)
      .bind_int(7, static_cast<std::int64_t>(channel.cursor))
      .bind_int(8, channel.pinned_at_ms);
  return statement.run();  // a taken id or handle is a UNIQUE violation: Errc::conflict
}

Result<void> LocalStore::set_channel_subscribed(ByteView id, bool subscribed) {
  BULWARK_TRY(check_channel_id(id));
  auto statement =
      BULWARK_TRY(impl_->db.prepare("UPDATE channels SET subscribed = ? WHERE channel_id = ?"));
  statement.bind_int(1, subscribed ? 1 : 0).bind_blob(2, id);
  return update_one(impl_->db, statement);
}

Result<void> LocalStore::set_channel_invite(ByteView id, const SecretBytes& invite) {
  BULWARK_TRY(check_channel_id(id));
  if (invite.size() != invite_bytes)
    return fail(Errc::invalid_length, "channel invite: expected 32 bytes");
  auto statement =
      BULWARK_TRY(impl_->db.prepare("UPDATE channels SET invite = ? WHERE channel_id = ?"));
  statement.bind_blob(1, invite.view()).bind_blob(2, id);
  return update_one(impl_->db, statement);
}

Result<void> LocalStore::advance_channel_cursor(ByteView id, std::uint64_t seq) {
  BULWARK_TRY(check_channel_id(id));
  // SQLite integers are signed: a seq beyond INT64_MAX cannot be a real one.
  if (seq > static_cast<std::uint64_t>(INT64_MAX))
    return fail(Errc::invalid_argument, "channel cursor out of range");
  auto statement = BULWARK_TRY(impl_->db.prepare(
      "UPDATE channels SET cursor = max(cursor, ?) WHERE channel_id = ?"));
  statement.bind_int(1, static_cast<std::int64_t>(seq)).bind_blob(2, id);
  return update_one(impl_->db, statement);
}

Result<void> LocalStore::save_channel_key(ByteView id, const SecretBytes& seed) {
  BULWARK_TRY(check_channel_id(id));
  if (seed.size() != seed_bytes) return fail(Errc::invalid_length, "channel key seed: expected 32 bytes");
  auto statement = BULWARK_TRY(
      impl_->db.prepare("INSERT OR REPLACE INTO channel_keys (channel_id, seed) VALUES (?, ?)"));
  statement.bind_blob(1, id).bind_blob(2, seed.view());
  return statement.run();
}

Result<std::optional<SecretBytes>> LocalStore::channel_key_seed(ByteView id) const {
  BULWARK_TRY(check_channel_id(id));
  auto row = BULWARK_TRY(impl_->db.prepare("SELECT seed FROM channel_keys WHERE channel_id = ?"));
  row.bind_blob(1, id);
  if (!BULWARK_TRY(row.step())) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(SecretBytes::copy_of(row.blob(0)));
}

Result<void> LocalStore::delete_channel_key(ByteView id) {
  BULWARK_TRY(check_channel_id(id));
  auto statement = BULWARK_TRY(impl_->db.prepare("DELETE FROM channel_keys WHERE channel_id = ?"));
  statement.bind_blob(1, id);
  return statement.run();
}

}  // namespace bulwark::client
