#include "store/sqlite/channels.h"

#include <algorithm>
#include <limits>
#include <string>

#include "store/limits.h"
#include "store/sqlite/row_codec.h"

namespace bulwark::store::sqlite {
namespace {


constexpr Sql insert_channel{
    "create channel",
    "INSERT INTO channels (id, handle, owner, channel_key, is_private, invite_hash, create_entry, "
    "created_ms, last_seq, subscribers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 0)"};
constexpr Sql select_by_handle{
    "read channel by handle",
    "SELECT id, handle, owner, channel_key, is_private, invite_hash, create_entry, created_ms, "
    "last_seq, subscribers FROM channels WHERE handle = ?"};
constexpr Sql select_by_id{
    "read channel",
    "SELECT id, handle, owner, channel_key, is_private, invite_hash, create_entry, created_ms, "
    "last_seq, subscribers FROM channels WHERE id = ?"};
constexpr Sql select_last_seq{"read channel seq", "SELECT last_seq FROM channels WHERE id = ?"};
constexpr Sql update_last_seq{"advance channel seq",
                              "UPDATE channels SET last_seq = ? WHERE id = ?"};
constexpr Sql insert_entry{
    "append channel entry",
    "INSERT INTO channel_entries (channel, seq, kind, target, entry, edited_by, deleted_by, "
    "views, server_time_ms) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)"};
constexpr Sql mark_edited{
    "mark channel post edited",
    "UPDATE channel_entries SET edited_by = ? WHERE channel = ? AND seq = ? AND kind = 2"};
// A removal erases the post and its edits: the author asked for it to be gone, not hidden.
constexpr Sql mark_removed{
    "remove channel post",
    "UPDATE channel_entries SET deleted_by = ?, entry = X'', views = X'' WHERE channel = ? AND "
    "((seq = ? AND kind = 2) OR (kind = 3 AND target = ?))"};
constexpr Sql select_entries{
    "read channel entries",
    "SELECT seq, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_entries WHERE channel = ? AND seq > ? ORDER BY seq LIMIT ?"};
constexpr Sql select_entry{
    "read channel entry",
    "SELECT seq, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_entries WHERE channel = ? AND seq = ?"};
// Newest first (one descent of the kind index), reversed by the caller.
constexpr Sql select_posts_before{
    "read channel posts",
    "SELECT seq, kind, target, entry, edited_by, deleted_by, views, server_time_ms FROM "
    "channel_entries WHERE channel = ? AND kind = 2 AND seq < ? ORDER BY seq DESC LIMIT ?"};
// Admin entries are few among many posts: their seqs come from the kind index alone (a
// covering scan), then each row by primary key. Asked for whole rows by kind, SQLite 3.40
// walks the channel's whole log on the primary key instead (measured: 10 ms at 8,000 entries,
// 75 ms at 20,000, on every append).
constexpr Sql select_seqs_of_kind{
    "read channel admins",
    "SELECT seq FROM channel_entries WHERE channel = ? AND kind = ? ORDER BY seq LIMIT ?"};
constexpr Sql update_views{"count channel views",
                           "UPDATE channel_entries SET views = ? WHERE channel = ? AND seq = ?"};
constexpr Sql insert_subscription{
    "subscribe",
    "INSERT INTO channel_subscriptions (account, channel, since_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (account, channel) DO NOTHING"};
constexpr Sql delete_subscription{
    "unsubscribe", "DELETE FROM channel_subscriptions WHERE account = ? AND channel = ?"};
constexpr Sql select_subscription{
    "read subscription",
    "SELECT 1 FROM channel_subscriptions WHERE account = ? AND channel = ?"};
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
  entry.seq = BULWARK_TRY(u64_at(row, 0, op));
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

Result<void> append_in_savepoint(Db& db, const ChannelId& id, const ChannelEntry& entry) {
  auto last = BULWARK_TRY(db.prepare(select_last_seq));
  last.bind(id_view(id));
  if (!BULWARK_TRY(last.step())) return fail(Errc::not_found, "no such channel");
  const std::uint64_t last_seq = BULWARK_TRY(u64_at(last, 0, select_last_seq.op));
  BULWARK_TRY(last.finish());
  if (entry.seq != last_seq + 1)
    return fail(Errc::conflict, "channel entry must be seq " + std::to_string(last_seq + 1));
  auto insert = BULWARK_TRY(db.prepare(insert_entry));
  insert.bind(id_view(id))
      .bind(clamp_to_sql(entry.seq))
      .bind(static_cast<std::int64_t>(entry.kind))
      .bind(clamp_to_sql(entry.target))
      .bind(entry.entry)
      .bind(entry.views)
      .bind(entry.server_time_ms);
  BULWARK_TRY(insert.finish());
  auto advance = BULWARK_TRY(db.prepare(update_last_seq));
  advance.bind(clamp_to_sql(entry.seq)).bind(id_view(id));
  BULWARK_TRY(advance.finish());
  if (entry.kind == ChannelEntryKind::edit) {
    auto edited = BULWARK_TRY(db.prepare(mark_edited));
    edited.bind(clamp_to_sql(entry.seq)).bind(id_view(id)).bind(clamp_to_sql(entry.target));
    BULWARK_TRY(edited.finish());
  } else if (entry.kind == ChannelEntryKind::remove) {
    auto removed = BULWARK_TRY(db.prepare(mark_removed));
    removed.bind(clamp_to_sql(entry.seq)).bind(id_view(id)).bind(clamp_to_sql(entry.target))
        .bind(clamp_to_sql(entry.target));
    BULWARK_TRY(removed.finish());
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
    auto insert = BULWARK_TRY(db.prepare(insert_channel));
    insert.bind(id_view(channel.id))
        .bind(channel.handle)
        .bind(id_view(channel.owner))
        .bind(channel.channel_key)
        .bind(std::int64_t{channel.is_private ? 1 : 0})
        .bind(channel.invite_hash)
        .bind(channel.create_entry)
        .bind(channel.created_ms);
    BULWARK_TRY(insert.finish());
    auto first = BULWARK_TRY(db.prepare(insert_entry));
    first.bind(id_view(channel.id))
        .bind(std::int64_t{1})
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

Result<std::vector<ChannelEntry>> channel_entries(Db& db, const ChannelId& id,
                                                  std::uint64_t after, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_channel_page);
  if (page == 0) return std::vector<ChannelEntry>{};
  auto query = BULWARK_TRY(db.prepare(select_entries));
  query.bind(id_view(id)).bind(clamp_to_sql(after)).bind(std::int64_t{page});
  return all_entries(query, select_entries.op);
}

Result<std::optional<ChannelEntry>> channel_entry(Db& db, const ChannelId& id,
                                                 std::uint64_t seq) {
  auto query = BULWARK_TRY(db.prepare(select_entry));
  query.bind(id_view(id)).bind(clamp_to_sql(seq));
  if (!BULWARK_TRY(query.step())) return std::optional<ChannelEntry>{};
  return std::optional<ChannelEntry>(BULWARK_TRY(entry_from_row(query, select_entry.op)));
}

Result<std::vector<ChannelEntry>> channel_posts_before(Db& db, const ChannelId& id,
                                                       std::uint64_t before,
                                                       std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_channel_page);
  if (page == 0) return std::vector<ChannelEntry>{};
  auto query = BULWARK_TRY(db.prepare(select_posts_before));
  query.bind(id_view(id)).bind(clamp_to_sql(before)).bind(std::int64_t{page});
  auto posts = BULWARK_TRY(all_entries(query, select_posts_before.op));
  std::reverse(posts.begin(), posts.end());
  return posts;
}

Result<std::vector<ChannelEntry>> channel_admin_entries(Db& db, const ChannelId& id) {
  std::vector<std::uint64_t> seqs;
  for (ChannelEntryKind kind : {ChannelEntryKind::admin_add, ChannelEntryKind::admin_remove}) {
    auto query = BULWARK_TRY(db.prepare(select_seqs_of_kind));
    query.bind(id_view(id))
        .bind(static_cast<std::int64_t>(kind))
        .bind(std::int64_t{max_channel_admin_entries});
    while (BULWARK_TRY(query.step())) seqs.push_back(BULWARK_TRY(u64_at(query, 0, select_seqs_of_kind.op)));
  }
  std::sort(seqs.begin(), seqs.end());
  if (seqs.size() > max_channel_admin_entries) seqs.resize(max_channel_admin_entries);
  std::vector<ChannelEntry> out;
  out.reserve(seqs.size());
  for (std::uint64_t seq : seqs) {
    auto entry = BULWARK_TRY(channel_entry(db, id, seq));
    if (entry) out.push_back(std::move(*entry));
  }
  return out;
}

Result<void> set_channel_views(Db& db, const ChannelId& id, std::uint64_t seq, ByteView sketch) {
  auto update = BULWARK_TRY(db.prepare(update_views));
  update.bind(sketch).bind(id_view(id)).bind(clamp_to_sql(seq));
  BULWARK_TRY(update.finish());
  if (db.changes() == 0) return fail(Errc::not_found, "no such channel post");
  return {};
}

Result<bool> subscribe(Db& db, const AccountId& account, const ChannelId& id,
                       std::int64_t now_ms) {
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

Result<std::vector<Channel>> subscriptions(Db& db, const AccountId& account,
                                           std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_subscriptions));
  query.bind(id_view(account)).bind(std::int64_t{std::min(limit, max_subscriptions)});
  std::vector<Channel> out;
  while (BULWARK_TRY(query.step())) out.push_back(BULWARK_TRY(channel_from_row(query, select_subscriptions.op)));
  return out;
}

}  // namespace bulwark::store::sqlite
