// The public channels' web preview (docs/CHANNELS.md): /s/HANDLE, /s/HANDLE/SEQ and
// /s/HANDLE/feed.atom, answered from the store and rendered by server/web/.
//
// Two steps, so that the store thread only reads rows: load_web_data runs there (one channel,
// one page of posts, their edits and the admin entries), and build_web_reply - signature checks
// and rendering, about a millisecond a page - runs on the HTTP connection's thread. Every post
// shown is verified against the channel key and its delegated admins right there: a post
// altered in the database is shown as such, never as the channel's. Private channels, and
// channels that do not exist, get the same 404 page.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "server/web/web_route.h"
#include "store/records.h"
#include "store/store.h"

namespace bulwark::server {

struct WebData {
  std::optional<store::Channel> channel;  // nullopt: no such public channel
  std::vector<store::ChannelEntry> posts;  // the page, oldest first
  std::map<std::uint64_t, store::ChannelEntry> edits;  // each edited post's latest edit, by seq
  std::map<std::uint64_t, store::ChannelEntry> removals;  // each removed post's REMOVE, by seq
  std::vector<store::ChannelEntry> admin_entries;
  bool has_older = false;  // posts before the page exist
  bool has_newer = false;  // posts after the page exist (a page reached with ?before=)
  std::optional<std::uint64_t> newer_before;  // the "Newer posts" link, nullopt: newest page
  // Moderation (docs/MODERATION.md): the page's posts it hid, by seq, and a restriction of the
  // whole channel, which replaces the preview with a "restricted" page.
  std::map<std::uint64_t, store::ModerationEffect> hidden;
  std::optional<store::ModerationEffect> restriction;
};

struct WebReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

// On the store thread. `page_posts` per page (channel pages) or per feed.
[[nodiscard]] Result<WebData> load_web_data(store::Store& store, const web::WebRoute& route,
                                            std::uint32_t page_posts);

// Anywhere but the store thread. `base_url` is scheme://host[:port] for the feed's links.
[[nodiscard]] WebReply build_web_reply(const WebData& data, const web::WebRoute& route,
                                       std::string_view base_url);

// The base URL for the feed from the request's Host header: "https://" + host when the header
// is a plausible host[:port], else `fallback`.
[[nodiscard]] std::string web_base_url(std::string_view host_header, std::string_view fallback);

}  // namespace bulwark::server
