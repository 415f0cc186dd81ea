// Verification of what the server says about a channel (DESIGN.md "Channels and moderation"):
// pure functions over the server's answers, so that the rules can be tested with crafted ones.
//
// The server stores and serves a channel's signed entries but cannot forge them. So:
//  - a ChannelInfo answer counts only when its CREATE entry is signed by the key it names,
//    under the id derived from that key and the handle asked for; its admin entries are
//    replayed in seq order and one that does not verify is left out (and reported), so that a
//    forged delegation never makes anyone an admin;
//  - every entry of a ChannelRead answer is checked with channel::Authority: the signer is
//    the channel key or an admin delegated at that seq, the signature verifies, the seq the
//    server gives is the signed one. An admin entry the server's admin list left out, entries
//    skipped (a gap), an entry erased without a genuine REMOVE naming it: each is flagged.
// A flagged entry is returned with verified = false and the reason, never dropped: the user
// must see that something is wrong. Its text goes to claimed_text only (channel_types.h).
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/proto/api.pb.h"
#include "channel/admin_set.h"
#include "client/channel_types.h"
#include "client/local_store.h"

namespace bulwark::client {

// A channel as the server described it, checked.
struct VerifiedChannel {
  channel::Authority authority;  // the CREATE entry and every admin entry that verified
  Bytes channel_id;              // 16 bytes
  Bytes create_entry;            // its encoded CREATE entry
  std::set<Bytes> admin_entries;  // the encoded admin entries that verified
  std::uint64_t last_seq = 0;
  std::uint64_t subscribers = 0;
  bool subscribed = false;
  std::vector<std::string> problems;  // admin entries left out, and why
  // The operator's moderators as this device pinned them (moderator_pins.h): a moderation
  // hold's signed action is checked against these. The caller fills them in.
  std::vector<PinnedModerator> moderators;
};

// Checks a ChannelInfo answer for `handle` (canonical; empty when the channel was asked for
// by id, which must then be `channel_id`). Errc::auth_failed, naming the channel, when the
// CREATE entry is not genuine or not the one asked for.
[[nodiscard]] Result<VerifiedChannel> verify_channel_info(const api::ChannelInfoResult& info,
                                                          std::string_view handle,
                                                          ByteView channel_id = {});

// Errc::untrusted_identity, with a message meant to be shown loudly, when `channel` is not the
// channel this device pinned as `pin` (another key or id under the pinned handle).
[[nodiscard]] Result<void> check_pinned(const VerifiedChannel& channel, const PinnedChannel& pin);

// The pin to save for a channel seen for the first time.
[[nodiscard]] PinnedChannel pin_for(const VerifiedChannel& channel, std::int64_t now_ms);

struct CheckedPage {
  std::vector<ChannelItem> items;
  std::vector<std::string> problems;
};

// Verifies a page of entries asked for with `after` (see ChannelRead). `removers` holds
// REMOVE entries outside the page that erased entries in it (missing_removers says which).
[[nodiscard]] CheckedPage verify_entries(const VerifiedChannel& channel,
                                         std::span<const api::ChannelEntry> page,
                                         std::span<const api::ChannelEntry> removers,
                                         std::uint64_t after, bool resynced);

// The seqs of the REMOVE entries that erased entries of `page` but are not in it.
[[nodiscard]] std::vector<std::uint64_t> missing_removers(std::span<const api::ChannelEntry> page);

// One new entry on its own (a push): checked like an entry of a page, without the gap check.
[[nodiscard]] ChannelItem verify_pushed_entry(const VerifiedChannel& channel,
                                              const api::ChannelEntry& entry);

}  // namespace bulwark::client
