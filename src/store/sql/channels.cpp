#include "store/sql/channels.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "store/limits.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql insert_channel{
    "create channel",
    "INSERT INTO channels (id, handle, owner, channel_key, is_private, invite_hash, create_entry, "
    "created_ms, log_number, last_seq, subscribers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)"};
constexpr Sql select_by_handle{
    "read channel by handle",
    "SELECT id, handle, owner, channel_key, is_private, invite_hash, create_entry, created_ms, "
    "last_seq, subscribers FROM channels WHERE handle = ?"};
constexpr Sql select_by_id{
    "read channel",
    "SELECT id, handle, owner, channel_key, is_private, invite_hash, create_entry, created_ms, "
    "last_seq, subscribers FROM channels WHERE id = ?"};
constexpr Sql select_next_log_number{"number channel log",
                                     "SELECT COALESCE(MAX(log_number), 0) + 1 FROM channels"};
constexpr Sql select_log_number{"find channel log", "SELECT log_number FROM channels WHERE id = ?"};
constexpr Sql select_last_seq{"read channel seq",
                              "SELECT last_seq, log_number FROM channels WHERE id = ?"};
// Conditional: of two writers that read the same last_seq (two nodes), the second changes
// nothing, which is a conflict like any stale seq.
constexpr Sql update_last_seq{"advance channel seq",
                              "UPDATE channels SET last_seq = ? WHERE id = ? AND last_seq = ?"};
// Entries are keyed log_number << 32 | seq (migrations.cpp, version 5): a channel's log is one
// key range, read in key order.
constexpr Sql insert_entry{
    "append channel entry",
    "INSERT INTO channel_log (key, kind, target, entry, edited_by, deleted_by, views, "
    "server_time_ms) VALUES (?, ?, ?, ?, 0, 0, ?, ?)"};
constexpr Sql mark_edited{"mark channel post edited",
                          "UPDATE channel_log SET edited_by = ? WHERE key = ? AND kind = 2"};
// A removal erases the post and its edits: the author asked for it to be gone, not hidden.
// The erased entry and views are bound empty blobs: X'' is a blob in SQLite but a bit string in
// PostgreSQL.
constexpr Sql mark_removed{
    "remove channel post",
    "UPDATE channel_log SET deleted_by = ?, entry = ?, views = ? WHERE key = ? AND kind = 2"};
constexpr Sql mark_edits_removed{
    "remove channel post's edits",
    "UPDATE channel_log SET deleted_by = ?, entry = ?, views = ? WHERE kind = 3 AND "
    "key > ? AND key < ? AND target = ?"};
constexpr Sql select_entries{
    "read channel entries",
    "SELECT key, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_log WHERE key > ? AND key < ? ORDER BY key LIMIT ?"};
constexpr Sql select_entry{
    "read channel entry",
    "SELECT key, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_log WHERE key = ?"};
// Newest first (one descent of the kind index), reversed by the caller.
constexpr Sql select_posts_before{
    "read channel posts",
    "SELECT key, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_log WHERE kind = 2 AND key > ? AND key < ? ORDER BY key DESC LIMIT ?"};
// Admin entries are few among many posts: their keys come from the kind index alone (a
// covering scan), then each row by key.
constexpr Sql select_keys_of_kind{
    "read channel admins",
    "SELECT key FROM channel_log WHERE kind = ? AND key > ? AND key < ? ORDER BY key LIMIT ?"};
constexpr Sql update_views{"count channel views", "UPDATE channel_log SET views = ? WHERE key = ?"};
constexpr Sql insert_subscription{
    "subscribe",
    "INSERT INTO channel_subscriptions (account, channel, since_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (account, channel) DO NOTHING"};
constexpr Sql delete_subscription{
    "unsubscribe", "DELETE FROM channel_subscriptions WHERE account = ? AND channel = ?"};
constexpr Sql select_subscription{
    "read subscription", "SELECT 1 FROM channel_subscriptions WHERE account = ? AND channel = ?"};
constexpr Sql add_subscribers{"count subscribers",
                              "UPDATE channels SET subscribers = subscribers + ? WHERE id = ?"};
constexpr Sql select_subscriptions{
    "read subscriptions",
    "SELECT c.id, c.handle, c.owner, c.channel_key, c.is_private, c.invite_hash, c.create_entry, "
    "c.created_ms, c.last_seq, c.subscribers FROM channel_subscriptions s JOIN channels c ON "
    "c.id = s.channel WHERE s.account = ? ORDER BY s.channel LIMIT ?"};

Result<Channel> channel_from_row(const Statement& row, std::string_view op) {
  Channel channel;
  channel.id.bytes = BULWARK_TRY(row.array_at<16>(0));
  channel.handle = row.text_at(1);
  channel.owner.bytes = BULWARK_TRY(row.array_at<16>(2));
  channel.channel_key = row.blob_at(3);
  channel.is_private = row.int64_at(4) != 0;
  channel.invite_hash = row.blob_at(5);
  channel.create_entry = row.blob_at(6);
  channel.created_ms = row.int64_at(7);
  channel.last_seq = BULWARK_TRY(u64_at(row, 8, op));
  channel.subscribers = BULWARK_TRY(u64_at(row, 9, op));
  return channel;
}

Result<ChannelEntry> entry_from_row(const Statement& row, std::string_view op) {
  ChannelEntry entry;
  entry.seq = BULWARK_TRY(u64_at(row, 0, op)) & max_channel_seq;
  const std::int64_t kind = row.int64_at(1);
  if (kind < 1 || kind > 6) return fail(Errc::storage, std::string(op) + ": corrupt entry kind");
  entry.kind = static_cast<ChannelEntryKind>(kind);
  entry.target = BULWARK_TRY(u64_at(row, 2, op));
  entry.entry = row.blob_at(3);
  entry.edited_by = BULWARK_TRY(u64_at(row, 4, op));
  entry.deleted_by = BULWARK_TRY(u64_at(row, 5, op));
  entry.views = row.blob_at(6);
  entry.server_time_ms = row.int64_at(7);
  return entry;
}

Result<std::optional<Channel>> one_channel(Statement& query, std::string_view op) {
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<Channel>{};
  return std::optional<Channel>(BULWARK_TRY(channel_from_row(query, op)));
}

Result<std::vector<ChannelEntry>> all_entries(Statement& query, std::string_view op) {
  std::vector<ChannelEntry> out;
  while (BULWARK_TRY(query.step())) out.push_back(BULWARK_TRY(entry_from_row(query, op)));
  return out;
}

ByteView id_view(const ChannelId& id) { return id.bytes; }
ByteView id_view(const AccountId& id) { return id.bytes; }

// The first key of a channel's log; a channel's entries lie in (base, base + 2^32).
std::int64_t log_base(std::int64_t log_number) { return log_number << 32; }
constexpr std::int64_t log_span = std::int64_t{1} << 32;

std::int64_t entry_key(std::int64_t base, std::uint64_t seq) {
  return base | static_cast<std::int64_t>(seq & max_channel_seq);
}

// The channel's log base, or nothing for an unknown channel.
Result<std::optional<std::int64_t>> find_log_base(Db& db, const ChannelId& id) {
  auto query = BULWARK_TRY(db.prepare(select_log_number));
  query.bind(id_view(id));
  if (!BULWARK_TRY(query.step())) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(log_base(query.int64_at(0)));
}

Result<std::optional<ChannelEntry>> entry_at(Db& db, std::int64_t key) {
  auto query = BULWARK_TRY(db.prepare(select_entry));
  query.bind(key);
  if (!BULWARK_TRY(query.step())) return std::optional<ChannelEntry>{};
  return std::optional<ChannelEntry>(BULWARK_TRY(entry_from_row(query, select_entry.op)));
}

Result<void> append_in_savepoint(Db& db, const ChannelId& id, const ChannelEntry& entry) {
  auto last = BULWARK_TRY(db.prepare(select_last_seq));
  last.bind(id_view(id));
  if (!BULWARK_TRY(last.step())) return fail(Errc::not_found, "no such channel");
  const std::uint64_t last_seq = BULWARK_TRY(u64_at(last, 0, select_last_seq.op));
  const std::int64_t base = log_base(last.int64_at(1));
  BULWARK_TRY(last.finish());
  if (entry.seq != last_seq + 1)
    return fail(Errc::conflict, "channel entry must be seq " + std::to_string(last_seq + 1));
  if (entry.seq > max_channel_seq)
    return fail(Errc::capacity_exceeded, "the channel's log is full");
  {
    auto advance = BULWARK_TRY(db.prepare(update_last_seq));
    advance.bind(clamp_to_sql(entry.seq)).bind(id_view(id)).bind(clamp_to_sql(last_seq));
    BULWARK_TRY(advance.finish());
    if (db.changes() != 1) {
      return fail(Errc::conflict, "channel entry seq " + std::to_string(entry.seq) +
                                      " was taken by another writer");
    }
  }
  auto insert = BULWARK_TRY(db.prepare(insert_entry));
  insert.bind(entry_key(base, entry.seq))
      .bind(static_cast<std::int64_t>(entry.kind))
      .bind(clamp_to_sql(entry.target))
      .bind(entry.entry)
      .bind(entry.views)
      .bind(entry.server_time_ms);
  BULWARK_TRY(insert.finish());
  // A target beyond the log names no entry: the updates below then change nothing.
  if (entry.target == 0 || entry.target > max_channel_seq) return {};
  if (entry.kind == ChannelEntryKind::edit) {
    auto edited = BULWARK_TRY(db.prepare(mark_edited));
    edited.bind(clamp_to_sql(entry.seq)).bind(entry_key(base, entry.target));
    BULWARK_TRY(edited.finish());
  } else if (entry.kind == ChannelEntryKind::remove) {
    auto removed = BULWARK_TRY(db.prepare(mark_removed));
    removed.bind(clamp_to_sql(entry.seq))
        .bind(ByteView{})
        .bind(ByteView{})
        .bind(entry_key(base, entry.target));
    BULWARK_TRY(removed.finish());
    auto edits = BULWARK_TRY(db.prepare(mark_edits_removed));
    edits.bind(clamp_to_sql(entry.seq))
        .bind(ByteView{})
        .bind(ByteView{})
        .bind(base)
        .bind(base + log_span)
        .bind(clamp_to_sql(entry.target));
    BULWARK_TRY(edits.finish());
  }
  return {};
}

Result<void> count_subscriber(Db& db, const ChannelId& id, std::int64_t delta) {
  auto update = BULWARK_TRY(db.prepare(add_subscribers));
  update.bind(delta).bind(id_view(id));
  return update.finish();
}

}  // namespace

Result<void> create_channel(Db& db, const Channel& channel) {
  return in_savepoint(db, [&]() -> Result<void> {
    BULWARK_TRY(db.lock_for_append("channels"));  // log numbers are MAX + 1
    auto numbering = BULWARK_TRY(db.prepare(select_next_log_number));
    if (!BULWARK_TRY(numbering.step())) return fail(Errc::storage, "cannot number channel log");
    const std::int64_t log_number = numbering.int64_at(0);
    BULWARK_TRY(numbering.finish());
    if (log_number > max_channels) return fail(Errc::capacity_exceeded, "too many channels");
    auto insert = BULWARK_TRY(db.prepare(insert_channel));
    insert.bind(id_view(channel.id))
        .bind(channel.handle)
        .bind(id_view(channel.owner))
        .bind(channel.channel_key)
        .bind(std::int64_t{channel.is_private ? 1 : 0})
        .bind(channel.invite_hash)
        .bind(channel.create_entry)
        .bind(channel.created_ms)
        .bind(log_number);
    BULWARK_TRY(insert.finish());
    auto first = BULWARK_TRY(db.prepare(insert_entry));
    first.bind(entry_key(log_base(log_number), 1))
        .bind(static_cast<std::int64_t>(ChannelEntryKind::create))
        .bind(std::int64_t{0})
        .bind(channel.create_entry)
        .bind(ByteView{})
        .bind(channel.created_ms);
    return first.finish();
  });
}

Result<std::optional<Channel>> channel_by_handle(Db& db, std::string_view handle) {
  auto query = BULWARK_TRY(db.prepare(select_by_handle));
  query.bind(handle);
  return one_channel(query, select_by_handle.op);
}

Result<std::optional<Channel>> channel_by_id(Db& db, const ChannelId& id) {
  auto query = BULWARK_TRY(db.prepare(select_by_id));
  query.bind(id_view(id));
  return one_channel(query, select_by_id.op);
}

Result<void> append_channel_entry(Db& db, const ChannelId& id, const ChannelEntry& entry) {
  return in_savepoint(db, [&] { return append_in_savepoint(db, id, entry); });
}

Result<std::vector<ChannelEntry>> channel_entries(Db& db, const ChannelId& id, std::uint64_t after,
                                                  std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_channel_page);
  if (page == 0 || after >= max_channel_seq) return std::vector<ChannelEntry>{};
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base) return std::vector<ChannelEntry>{};
  auto query = BULWARK_TRY(db.prepare(select_entries));
  query.bind(entry_key(*base, after)).bind(*base + log_span).bind(std::int64_t{page});
  return all_entries(query, select_entries.op);
}

Result<std::optional<ChannelEntry>> channel_entry(Db& db, const ChannelId& id, std::uint64_t seq) {
  if (seq == 0 || seq > max_channel_seq) return std::optional<ChannelEntry>{};
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base) return std::optional<ChannelEntry>{};
  return entry_at(db, entry_key(*base, seq));
}

Result<std::vector<ChannelEntry>> channel_posts_before(Db& db, const ChannelId& id,
                                                       std::uint64_t before, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_channel_page);
  if (page == 0) return std::vector<ChannelEntry>{};
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base) return std::vector<ChannelEntry>{};
  const std::int64_t end = *base + static_cast<std::int64_t>(std::min<std::uint64_t>(
                                       before, static_cast<std::uint64_t>(log_span)));
  auto query = BULWARK_TRY(db.prepare(select_posts_before));
  query.bind(*base).bind(end).bind(std::int64_t{page});
  auto posts = BULWARK_TRY(all_entries(query, select_posts_before.op));
  std::reverse(posts.begin(), posts.end());
  return posts;
}

Result<std::vector<std::uint64_t>> channel_post_seqs_from(Db& db, const ChannelId& id,
                                                          std::uint64_t from, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_channel_page);
  if (page == 0 || from >= max_channel_seq) return std::vector<std::uint64_t>{};
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base) return std::vector<std::uint64_t>{};
  // The kind index alone (a covering scan), as for admin entries.
  auto query = BULWARK_TRY(db.prepare(select_keys_of_kind));
  query.bind(static_cast<std::int64_t>(ChannelEntryKind::post))
      .bind(entry_key(*base, from == 0 ? 0 : from - 1))
      .bind(*base + log_span)
      .bind(std::int64_t{page});
  std::vector<std::uint64_t> seqs;
  while (BULWARK_TRY(query.step()))
    seqs.push_back(static_cast<std::uint64_t>(query.int64_at(0) - *base));
  return seqs;
}

Result<std::vector<ChannelEntry>> channel_admin_entries(Db& db, const ChannelId& id) {
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base) return std::vector<ChannelEntry>{};
  std::vector<std::int64_t> keys;
  for (ChannelEntryKind kind : {ChannelEntryKind::admin_add, ChannelEntryKind::admin_remove}) {
    auto query = BULWARK_TRY(db.prepare(select_keys_of_kind));
    query.bind(static_cast<std::int64_t>(kind))
        .bind(*base)
        .bind(*base + log_span)
        .bind(std::int64_t{max_channel_admin_entries});
    while (BULWARK_TRY(query.step())) keys.push_back(query.int64_at(0));
  }
  std::sort(keys.begin(), keys.end());
  if (keys.size() > max_channel_admin_entries) keys.resize(max_channel_admin_entries);
  std::vector<ChannelEntry> out;
  out.reserve(keys.size());
  for (std::int64_t key : keys) {
    auto entry = BULWARK_TRY(entry_at(db, key));
    if (entry) out.push_back(std::move(*entry));
  }
  return out;
}

Result<void> set_channel_views(Db& db, const ChannelId& id, std::uint64_t seq, ByteView sketch) {
  const auto base = BULWARK_TRY(find_log_base(db, id));
  if (!base || seq == 0 || seq > max_channel_seq)
    return fail(Errc::not_found, "no such channel post");
  auto update = BULWARK_TRY(db.prepare(update_views));
  update.bind(sketch).bind(entry_key(*base, seq));
  BULWARK_TRY(update.finish());
  if (db.changes() == 0) return fail(Errc::not_found, "no such channel post");
  return {};
}

Result<bool> subscribe(Db& db, const AccountId& account, const ChannelId& id, std::int64_t now_ms) {
  return in_savepoint(db, [&]() -> Result<bool> {
    auto exists = BULWARK_TRY(db.prepare(select_last_seq));
    exists.bind(id_view(id));
    if (!BULWARK_TRY(exists.step())) return fail(Errc::not_found, "no such channel");
    BULWARK_TRY(exists.finish());
    auto insert = BULWARK_TRY(db.prepare(insert_subscription));
    insert.bind(id_view(account)).bind(id_view(id)).bind(now_ms);
    BULWARK_TRY(insert.finish());
    if (db.changes() == 0) return false;
    BULWARK_TRY(count_subscriber(db, id, 1));
    return true;
  });
}

Result<bool> unsubscribe(Db& db, const AccountId& account, const ChannelId& id) {
  return in_savepoint(db, [&]() -> Result<bool> {
    auto remove = BULWARK_TRY(db.prepare(delete_subscription));
    remove.bind(id_view(account)).bind(id_view(id));
    BULWARK_TRY(remove.finish());
    if (db.changes() == 0) return false;
    BULWARK_TRY(count_subscriber(db, id, -1));
    return true;
  });
}

Result<bool> is_subscribed(Db& db, const AccountId& account, const ChannelId& id) {
  auto query = BULWARK_TRY(db.prepare(select_subscription));
  query.bind(id_view(account)).bind(id_view(id));
  return query.step();
}

Result<std::vector<Channel>> subscriptions(Db& db, const AccountId& account, std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_subscriptions));
  query.bind(id_view(account)).bind(std::int64_t{std::min(limit, max_subscriptions)});
  std::vector<Channel> out;
  while (BULWARK_TRY(query.step()))
    out.push_back(BULWARK_TRY(channel_from_row(query, select_subscriptions.op)));
  return out;
}

}  // namespace bulwark::store::sql
