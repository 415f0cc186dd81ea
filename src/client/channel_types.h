// What the client reports about channels (client/channels.h): plain values for the CLI and the
// daemon to print. Nothing here holds a secret except an owner's invite link, which is meant
// to be handed on by its owner.
//
// Invariant: an entry that did not verify never carries its text in `text`; what it claims
// stays in `claimed_text`, next to `problem`, so that no caller can show it as genuine by
// forgetting to look at `verified`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"

namespace bulwark::client {

// One entry of a channel's log, as this device verified it.
struct ChannelItem {
  std::string handle;  // canonical
  std::uint64_t seq = 0;
  // create, post, edit, remove, admin_add, admin_remove; "removed" for an entry the server
  // erased after a REMOVE (deleted_by), whose kind is no longer known.
  std::string kind;
  std::string text;          // post, edit: the text; create: the title. Verified entries only.
  std::string claimed_text;  // what an entry that did not verify claims to say
  std::uint64_t target = 0;  // edit, remove: the post's seq
  std::string signed_by;     // "owner" (the channel key) or "admin"
  Bytes signer_key;          // the channel key (32 bytes) or the admin's identity key (33)
  Bytes admin_key;           // admin_add, admin_remove: the identity key named
  // A contact's +phone or @username for the admin keys, when this device knows them.
  std::optional<std::string> signer_name;
  std::optional<std::string> admin_name;
  std::int64_t time_ms = 0;  // the signer's clock
  std::int64_t server_time_ms = 0;
  std::uint64_t views = 0;
  std::uint64_t deleted_by = 0;  // the REMOVE that erased it, 0 if none
  // kind "moderated": the operator's moderation hid this post (or an edit of it) and says so
  // openly (docs/MODERATION.md); not server tampering. The case to appeal, and why.
  std::uint64_t moderation_case = 0;
  std::string moderation_reason;
  // The moderator whose signed remove-post action, checked against the key this device pinned
  // for them, the hold carries; empty while the hold is a policy rule's, not yet reviewed.
  std::string moderated_by;
  // That action's post: this entry's seq, or the post an edit held with it changes.
  std::uint64_t moderated_post = 0;
  bool verified = false;
  std::string problem;  // why it did not verify
};

struct ChannelAdmin {
  Bytes identity_key;                // 33 bytes
  std::optional<std::string> name;   // a contact's +phone or @username, when known here
  bool you = false;                  // this account
};

struct ChannelDetails {
  std::string handle;
  std::string channel_id;  // 32 hex digits
  std::string title;
  std::string description;
  bool is_private = false;
  std::uint64_t last_seq = 0;
  std::uint64_t subscribers = 0;
  bool subscribed = false;  // as the server says
  bool owner = false;       // this device holds the channel key
  bool admin = false;       // this account is a current admin
  std::vector<ChannelAdmin> admins;
  std::uint64_t cursor = 0;                // the highest seq shown on this device
  std::optional<std::string> invite_link;  // private channels, for the owner
  std::vector<std::string> problems;       // admin entries that did not verify, and the like
};

struct AppendReceipt {
  std::string handle;
  std::uint64_t seq = 0;
  std::int64_t server_time_ms = 0;
  std::string signed_by;  // "owner" or "admin"
  int attempts = 1;       // more than 1 when other entries took the seq first
};

struct ChannelReadRequest {
  std::optional<std::uint64_t> after;  // entries after this seq; none: the latest page
  bool from_cursor = false;            // after = this device's cursor (what is new)
  std::uint32_t limit = 20;            // 1..1000
};

struct ChannelPage {
  std::string handle;
  std::uint64_t after = 0;  // what was asked for
  std::vector<ChannelItem> items;
  std::uint64_t last_seq = 0;  // the channel's, as the server says
  bool resynced = false;       // the server answered with its newest entries instead
  std::uint64_t skipped = 0;   // on a resync: entries between `after` and the first item
  std::uint64_t cursor = 0;    // after this read
  bool more = false;           // entries after the last item (a page is cut at limit or ~512 KiB)
  std::vector<std::string> problems;
  [[nodiscard]] bool all_verified() const {
    for (const ChannelItem& item : items)
      if (!item.verified) return false;
    return problems.empty();
  }
};

}  // namespace bulwark::client
