// What the channel handlers share (handlers/channel_writes.cpp, channel_reads.cpp): id
// conversions, the channel's signing authority as the server rebuilds it from its own store,
// who may see a private channel, and the ChannelEntry message.
#pragma once

#include <string>

#include "api/proto/api.pb.h"
#include "channel/admin_set.h"
#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace bulwark::server {

[[nodiscard]] store::ChannelId store_channel_id(const channel::ChannelId& id);
// 16 bytes -> id; Errc::invalid_argument otherwise.
[[nodiscard]] Result<store::ChannelId> channel_id_from(const std::string& bytes);

// The channel's authority from its stored CREATE and admin entries. Those were verified when
// they were appended, so their signatures are not checked again (that would cost one
// verification per admin change on every post).
[[nodiscard]] Result<channel::Authority> stored_authority(store::Store& store,
                                                          const store::Channel& channel);

// Whether `account` may see `channel`: any channel that is public; a private one only for its
// owner, its subscribers, or someone presenting its invite secret.
[[nodiscard]] Result<bool> may_see(store::Store& store, const store::Channel& channel,
                                   const store::AccountId& account, const std::string& invite);

// The entry as api.proto ChannelEntry, with its approximate view count.
void entry_to_api(const store::ChannelEntry& entry, api::ChannelEntry& out);

}  // namespace bulwark::server
