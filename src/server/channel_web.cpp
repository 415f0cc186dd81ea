#include "server/channel_web.h"

#include <algorithm>

#include "channel/admin_set.h"
#include "channel/entry.h"
#include "channel/view_sketch.h"
#include "server/web/atom_feed.h"
#include "server/web/channel_page.h"
#include "server/web/error_page.h"
#include "server/web/security_headers.h"

namespace bulwark::server {
namespace {

Result<std::optional<store::Channel>> public_channel(store::Store& store, const std::string& handle) {
  auto channel = BULWARK_TRY(store.channel_by_handle(handle));
  if (!channel || channel->is_private) return std::optional<store::Channel>{};
  return channel;
}

// The "Newer posts" link of a page reached with ?before=B: the page of the posts from B on,
// named by the first post after it; nullopt when that page is the newest one. Posts are found
// by their kind, so edits, removals and admin entries between them do not count.
Result<std::optional<std::uint64_t>> newer_link(store::Store& store, const store::ChannelId& id,
                                                std::uint64_t before, std::uint32_t page_posts) {
  const std::vector<std::uint64_t> posts = BULWARK_TRY(store.channel_post_seqs_from(id, before, page_posts + 1));
  if (posts.size() <= page_posts) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>(posts[page_posts]);
}

Result<void> load_changes(store::Store& store, const store::ChannelId& id, WebData& data) {
  for (const store::ChannelEntry& post : data.posts) {
    if (post.deleted_by != 0) {
      if (auto removal = BULWARK_TRY(store.channel_entry(id, post.deleted_by)))
        data.removals.emplace(post.seq, std::move(*removal));
    } else if (post.edited_by != 0) {
      if (auto edit = BULWARK_TRY(store.channel_entry(id, post.edited_by)))
        data.edits.emplace(post.seq, std::move(*edit));
    }
  }
  data.admin_entries = BULWARK_TRY(store.channel_admin_entries(id));
  if (!data.posts.empty()) {
    for (store::HiddenPost& hidden :
         BULWARK_TRY(store.hidden_posts(id, data.posts.front().seq, data.posts.back().seq)))
      data.hidden.emplace(hidden.seq, std::move(hidden.effect));
  }
  data.restriction = BULWARK_TRY(store.channel_restriction(id));
  return {};
}

std::string hex_groups(ByteView key) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += digits[static_cast<unsigned>(key[i]) >> 4];
    out += digits[static_cast<unsigned>(key[i]) & 0xF];
  }
  return out;
}

std::string signer_label(const channel::Authority& authority, const channel::Entry& entry) {
  if (entry.signer == authority.profile().channel_key) return "channel key";
  std::string short_key = hex_groups(ByteView(entry.signer).subspan(1, 4));
  return "admin " + short_key;
}

// The authority as the channel's own entries establish it, every signature checked: an admin
// entry altered in the database is skipped, so the posts it would have allowed fail below.
std::optional<channel::Authority> verified_authority(const WebData& data) {
  auto create = channel::decode_entry(data.channel->create_entry);
  if (!create) return std::nullopt;
  auto authority = channel::Authority::from_create(*create);
  if (!authority) return std::nullopt;
  for (const store::ChannelEntry& row : data.admin_entries) {
    auto admin = channel::decode_entry(row.entry);
    if (admin) (void)authority->apply_admin_entry(*admin);
  }
  return std::move(*authority);
}

// Checks `bytes` as an entry of kind `kind` (and target, for edits and removals) that the
// channel's authority allows; fills the signature fields of `view`. Returns the entry.
std::optional<channel::Entry> check_entry(const std::optional<channel::Authority>& authority,
                                          const Bytes& bytes, std::uint64_t seq,
                                          channel::EntryKind kind, std::uint64_t target,
                                          web::PostView& view) {
  view.signature = web::SignatureStatus::invalid;
  if (!authority) {
    view.problem = "the channel's own creation entry does not verify";
    return std::nullopt;
  }
  auto entry = channel::decode_entry(bytes);
  if (!entry) {
    view.problem = "the stored post is not a valid channel entry";
    return std::nullopt;
  }
  if (entry->seq != seq || entry->kind != kind || entry->target != target) {
    view.problem = "the stored entry is not the one at this position";
    return std::nullopt;
  }
  if (auto verified = authority->verify(*entry); !verified) {
    view.problem = entry->signer == authority->profile().channel_key ||
                           authority->is_admin_at(entry->signer, entry->seq)
                       ? "signature does not match the post"
                       : "not signed by the channel key or one of its admins";
    return std::move(*entry);
  }
  view.signature = web::SignatureStatus::verified;
  view.signer = signer_label(*authority, *entry);
  return std::move(*entry);
}

web::PostView post_view(const WebData& data, const std::optional<channel::Authority>& authority,
                        const store::ChannelEntry& row) {
  web::PostView view;
  view.seq = row.seq;
  view.server_time_ms = row.server_time_ms;
  if (!row.views.empty()) {
    if (auto sketch = channel::ViewSketch::from_bytes(row.views)) view.views = sketch->estimate();
  }
  if (auto hidden = data.hidden.find(row.seq); hidden != data.hidden.end() && row.deleted_by == 0) {
    // Hidden by moderation: said so, with the case and reason, and never the text.
    view.removed = true;
    view.moderation_case = hidden->second.case_id;
    view.moderation_reason = hidden->second.reason;
    view.signature = web::SignatureStatus::verified;
    view.signer = "moderation";
    view.signed_time_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(row.server_time_ms, 0));
    return view;
  }
  if (row.deleted_by != 0) {
    view.removed = true;
    auto removal = data.removals.find(row.seq);
    if (removal == data.removals.end()) {
      view.problem = "the removal entry is missing";
      return view;
    }
    auto entry = check_entry(authority, removal->second.entry, removal->second.seq,
                             channel::EntryKind::remove, row.seq, view);
    if (entry) view.signed_time_ms = entry->time_ms;
    return view;
  }
  auto post = check_entry(authority, row.entry, row.seq, channel::EntryKind::post, 0, view);
  if (post) {
    view.signed_time_ms = post->time_ms;
    view.text = post->text;
  }
  auto edit = data.edits.find(row.seq);
  if (edit == data.edits.end() || view.signature != web::SignatureStatus::verified) return view;
  view.edited = true;
  web::PostView edited = view;
  auto changed = check_entry(authority, edit->second.entry, edit->second.seq,
                             channel::EntryKind::edit, row.seq, edited);
  if (changed) {
    edited.text = changed->text;
    edited.server_time_ms = edit->second.server_time_ms;
  }
  return edited;
}

web::ChannelView channel_view(const store::Channel& channel,
                              const std::optional<channel::Authority>& authority) {
  web::ChannelView view;
  view.handle = channel.handle;
  view.subscribers = channel.subscribers;
  view.key_fingerprint = hex_groups(channel.channel_key);
  if (authority) {
    view.title = authority->profile().title;
    view.description = authority->profile().description;
  } else {
    view.title = "@" + channel.handle;
  }
  return view;
}

WebReply html(int status, std::string body) {
  return {status, std::string(web::html_content_type), std::move(body)};
}

}  // namespace

Result<WebData> load_web_data(store::Store& store, const web::WebRoute& route,
                              std::uint32_t page_posts) {
  WebData data;
  if (route.kind != web::WebRouteKind::channel_page && route.kind != web::WebRouteKind::post &&
      route.kind != web::WebRouteKind::feed)
    return data;
  data.channel = BULWARK_TRY(public_channel(store, route.handle));
  if (!data.channel) return data;
  const store::ChannelId id = data.channel->id;
  if (route.kind == web::WebRouteKind::post) {
    auto post = BULWARK_TRY(store.channel_entry(id, route.seq));
    if (post && post->kind == store::ChannelEntryKind::post) data.posts.push_back(std::move(*post));
    BULWARK_TRY(load_changes(store, id, data));
    return data;
  }
  const std::uint64_t before = route.kind == web::WebRouteKind::channel_page && route.before
                                   ? *route.before
                                   : data.channel->last_seq + 1;
  data.posts = BULWARK_TRY(store.channel_posts_before(id, before, page_posts));
  if (!data.posts.empty())
    data.has_older = !BULWARK_TRY(store.channel_posts_before(id, data.posts.front().seq, 1)).empty();
  if (route.kind == web::WebRouteKind::channel_page && route.before &&
      *route.before <= data.channel->last_seq) {
    data.has_newer = true;
    data.newer_before = BULWARK_TRY(newer_link(store, id, *route.before, page_posts));
  }
  BULWARK_TRY(load_changes(store, id, data));
  return data;
}

WebReply build_web_reply(const WebData& data, const web::WebRoute& route,
                         std::string_view base_url) {
  switch (route.kind) {
    case web::WebRouteKind::bad_request: return html(400, web::render_error_page(400, route.error));
    case web::WebRouteKind::not_found: return html(404, web::render_not_found_page());
    default: break;
  }
  if (!data.channel) return html(404, web::render_not_found_page());
  if (data.restriction)
    return html(403, web::render_error_page(
                         403, "This channel (@" + data.channel->handle +
                                  ") is restricted by moderation (case " +
                                  std::to_string(data.restriction->case_id) +
                                  "): " + data.restriction->reason));
  const std::optional<channel::Authority> authority = verified_authority(data);
  const web::ChannelView channel = channel_view(*data.channel, authority);
  if (route.kind == web::WebRouteKind::post) {
    if (data.posts.empty()) return html(404, web::render_error_page(404, "No such post in this channel."));
    return html(200, web::render_post_page(channel, post_view(data, authority, data.posts.front())));
  }
  std::vector<web::PostView> posts;
  posts.reserve(data.posts.size());
  for (const store::ChannelEntry& row : data.posts) posts.push_back(post_view(data, authority, row));
  if (route.kind == web::WebRouteKind::feed) {
    std::reverse(posts.begin(), posts.end());
    std::int64_t updated = data.channel->created_ms;
    for (const web::PostView& post : posts) updated = std::max(updated, post.server_time_ms);
    return {200, std::string(web::atom_content_type),
            web::render_atom_feed(channel, posts, base_url, updated)};
  }
  web::ChannelPage page;
  page.channel = channel;
  page.posts = std::move(posts);
  if (data.has_older && !page.posts.empty()) page.older_before = page.posts.front().seq;
  page.newest_page = !data.has_newer;
  page.newer_before = data.newer_before;
  return html(200, web::render_channel_page(page));
}

std::string web_base_url(std::string_view host_header, std::string_view fallback) {
  const bool plausible =
      !host_header.empty() && host_header.size() <= 255 &&
      std::all_of(host_header.begin(), host_header.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      });
  if (!plausible) return std::string(fallback);
  return "https://" + std::string(host_header);
}

}  // namespace bulwark::server
