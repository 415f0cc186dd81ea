// web_render_fixture OUT_DIR BASE_URL: renders a made-up public channel with the real web
// preview renderers (src/server/web) into OUT_DIR, for the browser test to read through
// static_fixture.mjs before (and besides) the server's own routes:
//   OUT_DIR/manifest.json  {"headers": [[name, value]...], "routes": {target: {status,
//                          contentType, file}}, "notFound": {...}}: what to answer, and with
//                          which security headers (security_headers.h), for each target;
//   OUT_DIR/spec.json      the expected posts for preview_check.mjs (its spec, less baseUrl
//                          and screenshot, which the caller adds);
//   OUT_DIR/*.html, *.atom the rendered bodies.
// Test-only; deterministic: fixed texts and times, nothing random.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/web/atom_feed.h"
#include "server/web/channel_page.h"
#include "server/web/error_page.h"
#include "server/web/security_headers.h"
#include "server/web/web_route.h"

namespace {

namespace fs = std::filesystem;
using bulwark::server::web::ChannelPage;
using bulwark::server::web::ChannelView;
using bulwark::server::web::PostView;
using bulwark::server::web::SignatureStatus;
using nlohmann::json;

constexpr std::uint64_t post_count = 14;
constexpr std::uint64_t page_size = 10;
constexpr std::uint64_t edited_seq = 3;
constexpr std::uint64_t removed_seq = 6;
constexpr std::uint64_t invalid_seq = 9;
constexpr std::uint64_t admin_seq = 11;
constexpr std::uint64_t hostile_seq = 12;
constexpr std::uint64_t first_time_ms = 1'777'626'000'000;  // 2026-05-01T09:00:00Z

// Every payload must come out as the same characters, as text: if any of them ran, it would
// set window.__pwned or open a dialog, which preview_check.mjs watches for.
const std::string hostile_text =
    "<script>window.__pwned = 'script'; alert('script')</script>\n"
    "\"><img src=x onerror=\"window.__pwned='img';alert('img')\">\n"
    "'><svg onload=\"window.__pwned='svg'\"></svg>\n"
    "</div></article><script>window.__pwned='breakout'</script>\n"
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>\n"
    "<a href=\"javascript:window.__pwned='link'\">click me</a> javascript:alert(1)\n"
    "</textarea></style></title><base href=\"//evil.invalid/\">\n"
    "&amp; &lt;b&gt; ]]> <!-- not a comment";

std::string text_of(std::uint64_t seq) {
  switch (seq) {
    case hostile_seq: return hostile_text;
    case 13: return "Low tide at 14:10.\n\n\tBoats:  3 in,  2 out.\nMind the gap   between piers.";
    case 14:
      return "Z\xC3\xBC"
             "rich \xE2\x86\x92 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x8C\x8A "
             "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\x94 "
             "averyveryverylongwordwithoutanyspacesthatmustwrapinsteadofwideningthepageonaphone";
    default: return "Harbor note " + std::to_string(seq) + ": the tide turns & the gulls <3 it.";
  }
}

PostView make_post(std::uint64_t seq) {
  PostView post;
  post.seq = seq;
  post.signed_time_ms = first_time_ms + seq * 37 * 60'000;
  post.server_time_ms = static_cast<std::int64_t>(post.signed_time_ms + 250);
  post.text = text_of(seq);
  post.edited = seq == edited_seq;
  post.removed = seq == removed_seq;
  post.views = seq * 17;
  post.signature = seq == invalid_seq ? SignatureStatus::invalid : SignatureStatus::verified;
  post.signer = seq == admin_seq ? "admin 1a2b3c4d" : "channel key";
  if (seq == invalid_seq) post.problem = "signature does not match";
  return post;
}

ChannelView make_channel() {
  return ChannelView{"harbor_notes", "Harbor notes & tides",
                     "Daily notes from the harbor.\nTides, boats and <weather>.", 1234,
                     "3f9a 11c2 8be0 47d5 9a61 02fe c4b3 7d18 e5a0 6c29 b7f4 1d83 50ea 9c36 "
                     "2b7f d041"};
}

// Posts [first, last], oldest first.
std::vector<PostView> posts_between(std::uint64_t first, std::uint64_t last) {
  std::vector<PostView> posts;
  for (std::uint64_t seq = first; seq <= last; ++seq) posts.push_back(make_post(seq));
  return posts;
}

json expected_posts(const std::vector<PostView>& posts) {
  json out = json::array();
  for (const PostView& post : posts) {
    if (post.removed) {
      out.push_back({{"seq", post.seq}, {"removed", true}});
    } else {
      out.push_back({{"seq", post.seq}, {"text", post.text}});
    }
  }
  return out;
}

class Writer {
 public:
  explicit Writer(fs::path dir) : dir_(std::move(dir)) {}

  // Writes `body` and answers `target` with it (checked against the real route parser, so the
  // fixture serves only what the server would route).
  void route(const std::string& target, int status, std::string_view content_type,
             const std::string& body, bulwark::server::web::WebRouteKind kind) {
    if (bulwark::server::web::parse_web_target(target).kind != kind)
      throw std::runtime_error("the route parser disagrees about " + target);
    routes_[target] = entry(status, content_type, body);
  }

  void finish(const json& spec) {
    json headers = json::array();
    for (const auto& field : bulwark::server::web::security_headers)
      headers.push_back({std::string(field.name), std::string(field.value)});
    const json manifest = {{"headers", headers},
                           {"routes", routes_},
                           {"notFound", entry(404, bulwark::server::web::html_content_type,
                                              bulwark::server::web::render_not_found_page())}};
    write("manifest.json", manifest.dump(2) + "\n");
    write("spec.json", spec.dump(2) + "\n");
  }

 private:
  json entry(int status, std::string_view content_type, const std::string& body) {
    const std::string file = "body-" + std::to_string(files_++) +
                             (content_type.starts_with("text/html") ? ".html" : ".atom");
    write(file, body);
    return {{"status", status}, {"contentType", std::string(content_type)}, {"file", file}};
  }

  void write(const std::string& name, const std::string& bytes) {
    std::ofstream out(dir_ / name, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) throw std::runtime_error("cannot write " + (dir_ / name).string());
  }

  fs::path dir_;
  json routes_ = json::object();
  int files_ = 0;
};

void render_fixture(const fs::path& dir, const std::string& base_url) {
  using namespace bulwark::server::web;
  const ChannelView channel = make_channel();
  Writer writer(dir);
  const std::uint64_t newest_first_seq = post_count - page_size + 1;

  const ChannelPage newest{channel, posts_between(newest_first_seq, post_count), newest_first_seq,
                           std::nullopt, true};
  writer.route(channel_path(channel.handle), 200, html_content_type, render_channel_page(newest),
               WebRouteKind::channel_page);
  const ChannelPage older{channel, posts_between(1, newest_first_seq - 1), std::nullopt,
                          std::nullopt, false};
  writer.route(channel_path(channel.handle, newest_first_seq), 200, html_content_type,
               render_channel_page(older), WebRouteKind::channel_page);
  for (std::uint64_t seq = 1; seq <= post_count; ++seq) {
    writer.route(post_path(channel.handle, seq), 200, html_content_type,
                 render_post_page(channel, make_post(seq)), WebRouteKind::post);
  }
  std::vector<PostView> newest_first = posts_between(1, post_count);
  std::reverse(newest_first.begin(), newest_first.end());
  writer.route(
      feed_path(channel.handle), 200, atom_content_type,
      render_atom_feed(channel, newest_first, base_url, make_post(post_count).server_time_ms),
      WebRouteKind::feed);

  writer.finish({{"handle", channel.handle},
                 {"title", channel.title},
                 {"newestPosts", expected_posts(newest.posts)},
                 {"olderPosts", expected_posts(older.posts)},
                 {"hostileSeq", hostile_seq},
                 {"invalidSeq", invalid_seq},
                 {"missingHandle", "no_such_channel"}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: web_render_fixture OUT_DIR BASE_URL\n";
    return 2;
  }
  try {
    const fs::path dir = argv[1];
    fs::create_directories(dir);
    render_fixture(dir, argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "web_render_fixture: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
