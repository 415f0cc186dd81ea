// A public channel's Atom 1.0 feed (RFC 4287), /s/HANDLE/feed.atom (issue 6).
//
// Ids are the posts' permanent URLs (base_url + /s/HANDLE/SEQ); the feed's id is the channel
// page's URL. Entries are content type="text", XML-escaped (html.h): no markup a reader could
// run. A removed post stays as an entry that says so, without its text, so that readers that
// cached it replace it; a post whose signature failed says so in its title and content.
// Serve with atom_content_type and the headers of security_headers.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/web/channel_view.h"

namespace bulwark::server::web {

// Entry titles: the text's first non-blank line, cut to this many code points.
inline constexpr std::size_t atom_title_chars = 80;

// `base_url` is scheme://host[:port] as readers reach the server (a trailing '/' is dropped);
// `updated_ms` the newest change to the channel (the feed's <updated>).
[[nodiscard]] std::string render_atom_feed(const ChannelView& channel,
                                           const std::vector<PostView>& newest_first,
                                           std::string_view base_url, std::int64_t updated_ms);

}  // namespace bulwark::server::web
