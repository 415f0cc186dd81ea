// The web preview's model (issue 6): what the server hands the renderers for one public channel.
// Plain data, filled by the server's channel handlers from the store after checking every
// post's signature; the renderers (channel_page.h, atom_feed.h) only read it, do no I/O and
// escape every string in it. Private channels never get a ChannelView: the handlers answer
// them with render_not_found_page(), exactly as for a channel that does not exist.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::server::web {

enum class SignatureStatus { verified, invalid };

struct PostView {
  std::uint64_t seq = 0;
  std::uint64_t signed_time_ms = 0;  // the signer's clock (signed with the post); shown as its time
  std::int64_t server_time_ms = 0;   // when the server accepted it (the latest edit's, if edited)
  std::string text;                  // UTF-8, already the latest edit's text; raw, unescaped
  bool edited = false;
  bool removed = false;  // shown as "This post was removed." without its text
  // Removed by moderation (docs/MODERATION.md): shown as "Removed by moderation (case N):
  // reason" instead of its text; `removed` is set too.
  std::uint64_t moderation_case = 0;
  std::string moderation_reason;
  std::uint64_t views = 0;
  SignatureStatus signature = SignatureStatus::invalid;  // checked against the channel key or
                                                         // a delegated admin; invalid until checked
  std::string signer;   // "channel key" or "admin 1a2b3c4d" (short fingerprint)
  std::string problem;  // when invalid: why (e.g. "signature does not match")
};

struct ChannelView {
  std::string handle;  // canonical
  std::string title;
  std::string description;
  std::uint64_t subscribers = 0;
  std::string key_fingerprint;  // hex of the channel key, grouped
};

// One page of a channel's posts, oldest first (newest last, as a chat reads).
struct ChannelPage {
  ChannelView channel;
  std::vector<PostView> posts;
  // The "Older posts" link: /s/HANDLE?before=N (N = the oldest shown post's seq).
  std::optional<std::uint64_t> older_before;
  // The "Newer posts" link when !newest_page: /s/HANDLE?before=N, or /s/HANDLE when the next
  // newer page is the newest one (nullopt).
  std::optional<std::uint64_t> newer_before;
  bool newest_page = true;
};

}  // namespace bulwark::server::web
