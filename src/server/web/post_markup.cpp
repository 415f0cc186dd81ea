#include "server/web/post_markup.h"

#include "server/web/html.h"
#include "server/web/time_format.h"
#include "server/web/web_route.h"

namespace bulwark::server::web {
namespace {

// "Removed by moderation (case N): reason", escaped.
std::string moderation_note(const PostView& post) {
  return "Removed by moderation (case " + std::to_string(post.moderation_case) + "): " +
         html_escape(post.moderation_reason);
}

void append_plural(std::string& out, std::uint64_t count, std::string_view one,
                   std::string_view many) {
  out += group_thousands(count);
  out += ' ';
  out += count == 1 ? one : many;
}

// "channel key" reads as "Signed by the channel key"; an admin's "admin 1a2b3c4d" as is.
std::string_view signer_phrase(const PostView& post) {
  if (post.signer.empty() || post.signer == "channel key") return "the channel key";
  return post.signer;
}

void append_signature_badge(std::string& out, const PostView& post) {
  if (post.signature == SignatureStatus::verified) {
    out += "<span class=\"signature verified\">\xE2\x9C\x93 Signed by ";
    append_html_escaped(out, signer_phrase(post));
    out += "</span>";
    return;
  }
  out +=
      "<p class=\"signature invalid\" role=\"alert\">\xE2\x9A\xA0 Signature invalid \xE2\x80\x94"
      " do not trust this post";
  if (!post.problem.empty()) {
    out += " (";
    append_html_escaped(out, post.problem);
    out += ")";
  }
  out += "</p>\n";
}

}  // namespace

std::string group_thousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void append_channel_header(std::string& out, const ChannelView& channel, bool title_links) {
  out += "<header class=\"channel\">\n<h1 dir=\"auto\">";
  if (title_links) {
    out += "<a href=\"";
    append_html_escaped(out, channel_path(channel.handle));
    out += "\">";
  }
  append_html_escaped(out, channel.title);
  if (title_links) out += "</a>";
  out += "</h1>\n<p class=\"handle\">@";
  append_html_escaped(out, channel.handle);
  out += " \xC2\xB7 ";
  append_plural(out, channel.subscribers, "subscriber", "subscribers");
  out += "</p>\n";
  if (!channel.description.empty()) {
    out += "<p class=\"description\" dir=\"auto\">";
    append_html_text_with_breaks(out, channel.description);
    out += "</p>\n";
  }
  out += "<p class=\"key\">Channel key <code>";
  append_html_escaped(out, channel.key_fingerprint);
  out += "</code></p>\n</header>\n";
}

void append_post_article(std::string& out, std::string_view handle, const PostView& post) {
  const std::string seq = std::to_string(post.seq);
  const bool verified = post.signature == SignatureStatus::verified;
  out += "<article class=\"post\" id=\"post-" + seq + "\" data-seq=\"" + seq +
         "\" data-signature=\"" + (verified ? "verified" : "invalid") + "\"";
  if (post.removed) out += " data-removed=\"true\"";
  out += ">\n";
  if (!verified) append_signature_badge(out, post);
  if (post.moderation_case != 0) {
    out += "<p class=\"removed\" data-moderation-case=\"" + std::to_string(post.moderation_case) +
           "\">" + moderation_note(post) + "</p>\n";
  } else if (post.removed) {
    out += "<p class=\"removed\">This post was removed.</p>\n";
  } else {
    out += "<div class=\"text\" dir=\"auto\">";
    append_html_text_with_breaks(out, post.text);
    out += "</div>\n";
  }
  out += "<footer class=\"meta\"><a class=\"permalink\" href=\"";
  append_html_escaped(out, post_path(handle, post.seq));
  out += "\"><time datetime=\"" + rfc3339_utc(post.signed_time_ms) + "\">" +
         human_utc(post.signed_time_ms) + "</time></a>";
  if (post.edited) out += " <span class=\"edited\">edited</span>";
  out += " <span class=\"views\">";
  append_plural(out, post.views, "view", "views");
  out += "</span>";
  if (verified) {
    out += " ";
    append_signature_badge(out, post);
  }
  out += "</footer>\n</article>\n";
}

}  // namespace bulwark::server::web
