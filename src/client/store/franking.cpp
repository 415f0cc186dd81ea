// LocalStore: message franking (docs/FRANKING.md) - the server's stamp-signing key, this
// device's chain of sent tags per conversation, and the openings of received messages.
#include <limits>

#include "client/detail/store_impl.h"

namespace bulwark::client {
namespace {

constexpr std::size_t key_bytes = 32;  // the server's Ed25519 key; tags and franking keys
constexpr std::size_t conversation_bytes = 32;
constexpr std::size_t message_id_bytes = 16;

Result<void> check_size(ByteView value, std::size_t size, std::string_view what) {
  if (value.size() != size)
    return fail(Errc::invalid_length, std::string(what) + ": expected " + std::to_string(size) + " bytes");
  return {};
}

InboxFranking read_franking(const detail::Statement& row) {
  InboxFranking out;
  out.seq = static_cast<std::uint64_t>(row.int64(0));
  out.message_id = to_bytes(row.blob(1));
  out.franking_key = to_bytes(row.blob(2));
  out.previous = to_bytes(row.blob(3));
  out.tag = to_bytes(row.blob(4));
  out.stamp = to_bytes(row.blob(5));
  return out;
}

}  // namespace

Result<std::optional<Bytes>> LocalStore::franking_server_key() const {
  auto row = BULWARK_TRY(impl_->db.prepare("SELECT public_key FROM franking_server WHERE id = 1"));
  if (!BULWARK_TRY(row.step())) return std::optional<Bytes>();
  return std::optional<Bytes>(to_bytes(row.blob(0)));
}

Result<void> LocalStore::save_franking_server_key(ByteView public_key) {
  BULWARK_TRY(check_size(public_key, key_bytes, "franking server key"));
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR REPLACE INTO franking_server (id, public_key) VALUES (1, ?)"));
  insert.bind_blob(1, public_key);
  return insert.run();
}

Result<std::optional<Bytes>> LocalStore::last_franking_tag(ByteView conversation) const {
  BULWARK_TRY(check_size(conversation, conversation_bytes, "conversation"));
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT last_tag FROM franking_chains WHERE conversation = ?"));
  row.bind_blob(1, conversation);
  if (!BULWARK_TRY(row.step())) return std::optional<Bytes>();
  return std::optional<Bytes>(to_bytes(row.blob(0)));
}

Result<void> LocalStore::save_last_franking_tag(ByteView conversation, ByteView tag) {
  BULWARK_TRY(check_size(conversation, conversation_bytes, "conversation"));
  BULWARK_TRY(check_size(tag, key_bytes, "franking tag"));
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR REPLACE INTO franking_chains (conversation, last_tag) VALUES (?, ?)"));
  insert.bind_blob(1, conversation).bind_blob(2, tag);
  return insert.run();
}

Result<void> LocalStore::add_inbox_franking(const InboxFranking& franking) {
  BULWARK_TRY(check_size(franking.message_id, message_id_bytes, "franking message id"));
  BULWARK_TRY(check_size(franking.franking_key, key_bytes, "franking key"));
  BULWARK_TRY(check_size(franking.previous, key_bytes, "previous franking tag"));
  BULWARK_TRY(check_size(franking.tag, key_bytes, "franking tag"));
  if (franking.seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return fail(Errc::invalid_argument, "inbox franking: seq out of range");
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT INTO inbox_franking (seq, message_id, franking_key, previous, tag, stamp)"
      " VALUES (?, ?, ?, ?, ?, ?)"));
  insert.bind_int(1, static_cast<std::int64_t>(franking.seq))
      .bind_blob(2, franking.message_id)
      .bind_blob(3, franking.franking_key)
      .bind_blob(4, franking.previous)
      .bind_blob(5, franking.tag)
      .bind_blob(6, franking.stamp);
  return insert.run();
}

Result<std::optional<InboxFranking>> LocalStore::inbox_franking(std::uint64_t seq) const {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::optional<InboxFranking>();
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT seq, message_id, franking_key, previous, tag, stamp FROM inbox_franking"
      " WHERE seq = ?"));
  row.bind_int(1, static_cast<std::int64_t>(seq));
  if (!BULWARK_TRY(row.step())) return std::optional<InboxFranking>();
  return std::optional<InboxFranking>(read_franking(row));
}

Result<std::optional<InboxFranking>> LocalStore::inbox_franking_by_tag(ByteView sender,
                                                                       ByteView tag) const {
  BULWARK_TRY(detail::check_account_id(sender));
  BULWARK_TRY(check_size(tag, key_bytes, "franking tag"));
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT f.seq, f.message_id, f.franking_key, f.previous, f.tag, f.stamp"
      " FROM inbox_franking f JOIN inbox i ON i.seq = f.seq"
      " WHERE f.tag = ? AND i.sender_account = ? ORDER BY f.seq DESC LIMIT 1"));
  row.bind_blob(1, tag).bind_blob(2, sender);
  if (!BULWARK_TRY(row.step())) return std::optional<InboxFranking>();
  return std::optional<InboxFranking>(read_franking(row));
}

}  // namespace bulwark::client
