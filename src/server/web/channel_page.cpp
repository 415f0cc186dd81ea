#include "server/web/channel_page.h"

#include "server/web/html.h"
#include "server/web/page_frame.h"
#include "server/web/post_markup.h"
#include "server/web/web_route.h"

namespace bulwark::server::web {
namespace {

constexpr std::size_t post_title_chars = 60;

std::string channel_title(const ChannelView& channel) {
  return channel.title + " (@" + channel.handle + ")";
}

void append_link(std::string& out, std::string_view css_class, std::string_view rel,
                 std::string_view href, std::string_view label) {
  out += "<a class=\"";
  out += css_class;
  out += '"';
  if (!rel.empty()) {
    out += " rel=\"";
    out += rel;
    out += '"';
  }
  out += " href=\"";
  append_html_escaped(out, href);
  out += "\">";
  out += label;
  out += "</a>";
}

void append_site_footer(std::string& out, const ChannelView& channel) {
  out += "<footer class=\"site\"><a href=\"";
  append_html_escaped(out, feed_path(channel.handle));
  out +=
      "\">Atom feed</a> \xC2\xB7 Posts are signed with the channel's key, so this server "
      "cannot forge them.</footer>\n";
}

}  // namespace

std::string render_channel_page(const ChannelPage& page) {
  const ChannelView& channel = page.channel;
  const std::string title = channel_title(channel);
  const std::string feed = feed_path(channel.handle);
  std::string out;
  open_page(out, {title, feed, title});
  append_channel_header(out, channel, false);
  out += "<main>\n";
  if (page.older_before) {
    out += "<nav class=\"pager\">";
    append_link(out, "older", "prev", channel_path(channel.handle, page.older_before),
                "\xE2\x86\x91 Older posts");
    out += "</nav>\n";
  }
  if (page.posts.empty()) out += "<p class=\"empty\">No posts here yet.</p>\n";
  for (const PostView& post : page.posts) append_post_article(out, channel.handle, post);
  if (!page.newest_page) {
    out += "<nav class=\"pager\">";
    append_link(out, "newer", "next", channel_path(channel.handle, page.newer_before),
                "\xE2\x86\x93 Newer posts");
    out += "</nav>\n";
  }
  out += "</main>\n";
  append_site_footer(out, channel);
  close_page(out);
  return out;
}

std::string render_post_page(const ChannelView& channel, const PostView& post) {
  std::string title =
      post.removed ? std::string("Removed post") : first_line_excerpt(post.text, post_title_chars);
  if (title.empty()) title = "Post " + std::to_string(post.seq);
  title += " \xE2\x80\x94 " + channel_title(channel);
  std::string out;
  open_page(out, {title, feed_path(channel.handle), channel_title(channel)});
  append_channel_header(out, channel, true);
  out += "<main>\n<nav class=\"pager\">";
  append_link(out, "channel", "", channel_path(channel.handle),
              "\xE2\x86\x90 All posts of @" + html_escape(channel.handle));
  out += "</nav>\n";
  append_post_article(out, channel.handle, post);
  out += "</main>\n";
  append_site_footer(out, channel);
  close_page(out);
  return out;
}

}  // namespace bulwark::server::web
