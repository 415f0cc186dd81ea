// The web preview's routes (issue 6), parsed from a request target without I/O:
//   /s/HANDLE                 the newest page of a public channel's posts
//   /s/HANDLE?before=N        the page of posts older than seq N
//   /s/HANDLE/SEQ             one post
//   /s/HANDLE/feed.atom       the channel's Atom feed
// Handles are case-insensitive: the route holds the canonical form (channel/handle.h). Any
// other target, however malformed, parses to not_found or bad_request with a reason; nothing
// here can fail in another way. The builders below make the paths the pages link to, so that
// links and routes cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::server::web {

enum class WebRouteKind { channel_page, post, feed, bad_request, not_found };

struct WebRoute {
  WebRouteKind kind = WebRouteKind::not_found;
  std::string handle;                   // canonical; set for channel_page, post and feed
  std::uint64_t seq = 0;                // post: 1 or more
  std::optional<std::uint64_t> before;  // channel_page: ?before=N, N >= 1
  std::string error;                    // bad_request, not_found: why, for the error page
};

// Longer targets are bad_request without being looked at further (a handle has at most 32
// characters and a seq at most 19 digits).
inline constexpr std::size_t max_web_target_bytes = 256;

// True for targets that belong to the web preview ("/s" and "/s/..."); parse_web_target
// answers every one of them.
[[nodiscard]] bool is_web_target(std::string_view target) noexcept;

[[nodiscard]] WebRoute parse_web_target(std::string_view target);

// Paths for a canonical handle: /s/HANDLE, /s/HANDLE?before=N, /s/HANDLE/SEQ,
// /s/HANDLE/feed.atom.
[[nodiscard]] std::string channel_path(std::string_view handle,
                                       std::optional<std::uint64_t> before = std::nullopt);
[[nodiscard]] std::string post_path(std::string_view handle, std::uint64_t seq);
[[nodiscard]] std::string feed_path(std::string_view handle);

}  // namespace bulwark::server::web
