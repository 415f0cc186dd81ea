// Channels in SQL (store/store.h "channels"): one row per channel, one per log entry, one per
// subscription. A post is stored once however many subscribe; its removal erases its bytes.
//
// Invariants the tables keep: a channel's entries are numbered 1, 2, 3, ... without gaps
// (append only takes last_seq + 1, in the same savepoint that moves last_seq);
// channels.subscribers is the number of its channel_subscriptions rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

[[nodiscard]] Result<void> create_channel(Db& db, const Channel& channel);
[[nodiscard]] Result<std::optional<Channel>> channel_by_handle(Db& db, std::string_view handle);
[[nodiscard]] Result<std::optional<Channel>> channel_by_id(Db& db, const ChannelId& id);
[[nodiscard]] Result<void> append_channel_entry(Db& db, const ChannelId& id,
                                                const ChannelEntry& entry);
[[nodiscard]] Result<std::vector<ChannelEntry>> channel_entries(Db& db, const ChannelId& id,
                                                                std::uint64_t after,
                                                                std::uint32_t limit);
[[nodiscard]] Result<std::optional<ChannelEntry>> channel_entry(Db& db, const ChannelId& id,
                                                               std::uint64_t seq);
[[nodiscard]] Result<std::vector<ChannelEntry>> channel_posts_before(Db& db, const ChannelId& id,
                                                                     std::uint64_t before,
                                                                     std::uint32_t limit);
[[nodiscard]] Result<std::vector<std::uint64_t>> channel_post_seqs_from(Db& db,
                                                                       const ChannelId& id,
                                                                       std::uint64_t from,
                                                                       std::uint32_t limit);
[[nodiscard]] Result<std::vector<ChannelEntry>> channel_admin_entries(Db& db,
                                                                      const ChannelId& id);
[[nodiscard]] Result<void> set_channel_views(Db& db, const ChannelId& id, std::uint64_t seq,
                                             ByteView sketch);
[[nodiscard]] Result<bool> subscribe(Db& db, const AccountId& account, const ChannelId& id,
                                     std::int64_t now_ms);
[[nodiscard]] Result<bool> unsubscribe(Db& db, const AccountId& account, const ChannelId& id);
[[nodiscard]] Result<bool> is_subscribed(Db& db, const AccountId& account, const ChannelId& id);
[[nodiscard]] Result<std::vector<Channel>> subscriptions(Db& db, const AccountId& account,
                                                         std::uint32_t limit);

}  // namespace bulwark::store::sql
