// The web preview's HTML pages of a public channel (issue 6): a page of its posts
// (/s/HANDLE[?before=N]) and one post (/s/HANDLE/SEQ). Server-rendered, complete documents
// without JavaScript, readable on a phone; every string of the model is escaped (html.h).
// Serve them with the headers of security_headers.h. Post markup: post_markup.h.
#pragma once

#include <string>

#include "server/web/channel_view.h"

namespace bulwark::server::web {

// page.posts oldest first (newest last). Links "Older posts" (rel="prev", class "older") above
// the posts when older_before is set and "Newer posts" (rel="next", class "newer") below them
// unless newest_page; the Atom feed as <link rel="alternate">.
[[nodiscard]] std::string render_channel_page(const ChannelPage& page);

// One post under its channel's header, linking back to the channel's page.
[[nodiscard]] std::string render_post_page(const ChannelView& channel, const PostView& post);

}  // namespace bulwark::server::web
