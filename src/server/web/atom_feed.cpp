#include "server/web/atom_feed.h"

#include "server/web/html.h"
#include "server/web/time_format.h"
#include "server/web/web_route.h"

namespace bulwark::server::web {
namespace {

constexpr std::string_view invalid_signature_note =
    "\xE2\x9A\xA0 Signature invalid \xE2\x80\x94 do not trust this post";

void append_element(std::string& out, std::string_view name, std::string_view raw_text) {
  out += '<';
  out += name;
  out += '>';
  append_xml_escaped(out, raw_text);
  out += "</";
  out += name;
  out += ">\n";
}

void append_link(std::string& out, std::string_view rel, std::string_view type,
                 std::string_view href) {
  out += "<link rel=\"";
  out += rel;
  out += "\" type=\"";
  out += type;
  out += "\" href=\"";
  append_xml_escaped(out, href);
  out += "\"/>\n";
}

std::string entry_title(const PostView& post) {
  if (post.moderation_case != 0) return "Removed by moderation (case " + std::to_string(post.moderation_case) + ")";
  if (post.removed) return "This post was removed.";
  std::string title = first_line_excerpt(post.text, atom_title_chars);
  if (title.empty()) title = "Post " + std::to_string(post.seq);
  if (post.signature == SignatureStatus::invalid) title = "[Signature invalid] " + title;
  return title;
}

std::string entry_content(const PostView& post) {
  std::string content;
  if (post.signature == SignatureStatus::invalid) {
    content = std::string(invalid_signature_note);
    if (!post.problem.empty()) content += " (" + post.problem + ")";
    content += ".\n\n";
  }
  if (post.moderation_case != 0) {
    content += "Removed by moderation (case " + std::to_string(post.moderation_case) +
               "): " + post.moderation_reason;
  } else {
    content += post.removed ? std::string("This post was removed.") : post.text;
  }
  return content;
}

void append_entry(std::string& out, const ChannelView& channel, const PostView& post,
                  std::string_view base) {
  const std::string url = std::string(base) + post_path(channel.handle, post.seq);
  out += "<entry>\n";
  append_element(out, "id", url);
  out += "<title type=\"text\">";
  append_xml_escaped(out, entry_title(post));
  out += "</title>\n";
  append_link(out, "alternate", "text/html", url);
  append_element(out, "published", rfc3339_utc(post.signed_time_ms));
  append_element(out, "updated", rfc3339_utc(post.server_time_ms));
  out += "<content type=\"text\">";
  append_xml_escaped(out, entry_content(post));
  out += "</content>\n</entry>\n";
}

}  // namespace

std::string render_atom_feed(const ChannelView& channel, const std::vector<PostView>& newest_first,
                             std::string_view base_url, std::int64_t updated_ms) {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  const std::string page_url = std::string(base_url) + channel_path(channel.handle);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  append_element(out, "id", page_url);
  out += "<title type=\"text\">";
  append_xml_escaped(out, channel.title);
  out += "</title>\n";
  if (!channel.description.empty()) {
    out += "<subtitle type=\"text\">";
    append_xml_escaped(out, channel.description);
    out += "</subtitle>\n";
  }
  append_element(out, "updated", rfc3339_utc(updated_ms));
  append_link(out, "self", "application/atom+xml",
              std::string(base_url) + feed_path(channel.handle));
  append_link(out, "alternate", "text/html", page_url);
  // RFC 4287 wants an author on the feed or every entry: the channel speaks for its posts.
  out += "<author>\n";
  append_element(out, "name", "@" + channel.handle);
  append_element(out, "uri", page_url);
  out += "</author>\n";
  for (const PostView& post : newest_first) append_entry(out, channel, post, base_url);
  out += "</feed>\n";
  return out;
}

}  // namespace bulwark::server::web
