// The markup the channel page and the post page share: the channel's header and one post.
//
// The contract that the browser tests and the server's e2e tests rely on:
//   <article class="post" id="post-SEQ" data-seq="SEQ" data-signature="verified|invalid"
//            [data-removed="true"]>
//     [<p class="signature invalid" role="alert">⚠ Signature invalid — ...</p>]
//     <div class="text" dir="auto">escaped text, '\n' as <br></div>   (absent when removed)
//     [<p class="removed">This post was removed.</p>]                  (only when removed)
//     <footer class="meta"><a class="permalink" href="/s/HANDLE/SEQ"><time datetime="ISO">
//       ...</time></a> [<span class="edited">edited</span>] <span class="views">N views</span>
//       [<span class="signature verified">✓ Signed by the channel key</span>]</footer>
//   </article>
// An invalid signature's warning comes first, before the text it warns about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/web/channel_view.h"

namespace bulwark::server::web {

// "1,234,567".
[[nodiscard]] std::string group_thousands(std::uint64_t value);

// <header class="channel"> with the <h1> title, @handle, subscribers, description and the
// channel key's fingerprint. With `title_links`, the title links to the channel's page.
void append_channel_header(std::string& out, const ChannelView& channel, bool title_links);

void append_post_article(std::string& out, std::string_view handle, const PostView& post);

}  // namespace bulwark::server::web
