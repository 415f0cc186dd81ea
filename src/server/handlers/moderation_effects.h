// What moderation decisions change for the channel handlers (docs/MODERATION.md "Effects"):
// a hidden post (and each edit of it) is served as an entry without its bytes but with a
// moderation hold (case id and reason), never silently dropped; a restricted channel takes no
// new entries or subscribers; a suspended account may read, see its notices and appeal, but
// not post, create channels, subscribe or send messages.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "api/proto/api.pb.h"
#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace bulwark::server {

// The moderation holds on some of a channel's posts, by post seq.
using ModerationHolds = std::map<std::uint64_t, store::ModerationEffect>;

// The holds that apply to `entries` (posts by their seq, edits by their target).
[[nodiscard]] Result<ModerationHolds> load_holds(store::Store& store, const store::ChannelId& channel,
                                                 std::span<const store::ChannelEntry> entries);

// The hold on `entry` (a post, or an edit of a held post), if any.
[[nodiscard]] const store::ModerationEffect* hold_for(const ModerationHolds& holds,
                                                      const store::ChannelEntry& entry);

// entry_to_api, with the entry's bytes replaced by `hold` when it is set.
void held_entry_to_api(const store::ChannelEntry& entry, const store::ModerationEffect* hold,
                       api::ChannelEntry& out);

// A refusal message when the channel is restricted, nullopt otherwise.
[[nodiscard]] Result<std::optional<std::string>> channel_restricted(store::Store& store,
                                                                    const store::ChannelId& channel);
// A refusal message when the account is suspended, nullopt otherwise.
[[nodiscard]] Result<std::optional<std::string>> account_suspended(store::Store& store,
                                                                   const store::AccountId& account);

}  // namespace bulwark::server
