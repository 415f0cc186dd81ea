// LocalStore: envelope deduplication and the durable inbox of decrypted, not yet shown
// messages. The server redelivers an envelope until it is acknowledged, so the client marks it
// seen in the same transaction that stores its message, and acknowledges after the commit.
#include <cstdint>
#include <limits>

#include "client/detail/store_impl.h"

namespace bulwark::client {
namespace {

constexpr std::size_t envelope_id_bytes = 16;

Result<void> check_envelope_id(ByteView envelope_id) {
  if (envelope_id.size() != envelope_id_bytes)
    return fail(Errc::invalid_length, "envelope id: expected 16 bytes");
  return {};
}

InboxMessage read_message(const detail::Statement& row) {
  InboxMessage message;
  message.seq = static_cast<std::uint64_t>(row.int64(0));
  message.envelope_id = to_bytes(row.blob(1));
  message.sender_account = to_bytes(row.blob(2));
  message.sender_device = static_cast<std::uint32_t>(row.int64(3));
  message.body = row.text(4);
  message.sent_at_ms = row.int64(5);
  message.received_at_ms = row.int64(6);
  message.shown = row.int64(7) != 0;
  return message;
}

}  // namespace

Result<bool> LocalStore::envelope_seen(ByteView envelope_id) const {
  BULWARK_TRY(check_envelope_id(envelope_id));
  auto row = BULWARK_TRY(impl_->db.prepare("SELECT 1 FROM seen_envelopes WHERE envelope_id = ?"));
  row.bind_blob(1, envelope_id);
  return row.step();
}

Result<void> LocalStore::mark_envelope_seen(ByteView envelope_id, std::int64_t now_ms) {
  BULWARK_TRY(check_envelope_id(envelope_id));
  // OR IGNORE keeps the first sighting: the retention counts from when it first arrived.
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR IGNORE INTO seen_envelopes (envelope_id, seen_at_ms) VALUES (?, ?)"));
  insert.bind_blob(1, envelope_id).bind_int(2, now_ms);
  return insert.run();
}

Result<std::uint64_t> LocalStore::add_to_inbox(const InboxMessage& message) {
  BULWARK_TRY(check_envelope_id(message.envelope_id));
  BULWARK_TRY(detail::check_account_id(message.sender_account));
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT INTO inbox (envelope_id, sender_account, sender_device, body, sent_at_ms,"
      " received_at_ms) VALUES (?, ?, ?, ?, ?, ?)"));
  insert.bind_blob(1, message.envelope_id)
      .bind_blob(2, message.sender_account)
      .bind_int(3, message.sender_device)
      .bind_text(4, message.body)
      .bind_int(5, message.sent_at_ms)
      .bind_int(6, message.received_at_ms);
  auto inserted = insert.run();
  if (!inserted && inserted.error().code == Errc::conflict)
    return fail(Errc::conflict, "envelope already in the inbox");
  if (!inserted) return tl::unexpected(inserted.error());
  return static_cast<std::uint64_t>(impl_->db.last_insert_rowid());
}

Result<std::vector<InboxMessage>> LocalStore::unshown_messages(std::uint32_t limit) const {
  if (limit > max_unshown_batch)
    return fail(Errc::invalid_argument,
                "inbox: at most " + std::to_string(max_unshown_batch) + " messages at a time");
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT seq, envelope_id, sender_account, sender_device, body, sent_at_ms, received_at_ms,"
      " shown FROM inbox WHERE shown = 0 ORDER BY seq LIMIT ?"));
  row.bind_int(1, limit);
  std::vector<InboxMessage> messages;
  while (BULWARK_TRY(row.step())) messages.push_back(read_message(row));
  return messages;
}

Result<std::optional<InboxMessage>> LocalStore::inbox_message(ByteView envelope_id) const {
  BULWARK_TRY(check_envelope_id(envelope_id));
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT seq, envelope_id, sender_account, sender_device, body, sent_at_ms, received_at_ms,"
      " shown FROM inbox WHERE envelope_id = ?"));
  row.bind_blob(1, envelope_id);
  if (!BULWARK_TRY(row.step())) return std::optional<InboxMessage>();
  return std::optional<InboxMessage>(read_message(row));
}

Result<std::optional<InboxMessage>> LocalStore::inbox_message_at(std::uint64_t seq) const {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::optional<InboxMessage>();
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT seq, envelope_id, sender_account, sender_device, body, sent_at_ms, received_at_ms,"
      " shown FROM inbox WHERE seq = ?"));
  row.bind_int(1, static_cast<std::int64_t>(seq));
  if (!BULWARK_TRY(row.step())) return std::optional<InboxMessage>();
  return std::optional<InboxMessage>(read_message(row));
}

Result<void> LocalStore::mark_shown(std::uint64_t seq) {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return fail(Errc::not_found, "no inbox message " + std::to_string(seq));
  auto update = BULWARK_TRY(impl_->db.prepare("UPDATE inbox SET shown = 1 WHERE seq = ?"));
  update.bind_int(1, static_cast<std::int64_t>(seq));
  BULWARK_TRY(update.run());
  if (impl_->db.changes() == 0)
    return fail(Errc::not_found, "no inbox message " + std::to_string(seq));
  return {};
}

Result<void> LocalStore::prune(std::int64_t now_ms) {
  auto remove = BULWARK_TRY(impl_->db.prepare("DELETE FROM seen_envelopes WHERE seen_at_ms < ?"));
  remove.bind_int(1, now_ms - seen_envelope_retention_ms);
  return remove.run();
}

}  // namespace bulwark::client
