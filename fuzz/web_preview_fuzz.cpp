// The channels' web preview (server/web) on hostile input: the same bytes are a request
// target for parse_web_target and a post's text, title and problem for the renderers.
//
// Oracles: nothing crashes; a parsed route names a valid canonical handle and numbers of 1 to
// 2^63 - 1, and a refused one says why; the escaped text holds none of < > " ' and is valid
// UTF-8 without control characters other than tab and newline (what XML 1.0 can carry); the
// rendered page and feed hold the escaped text and no "<script".
#include "fuzz_target.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "channel/handle.h"
#include "channel/text.h"
#include "server/web/atom_feed.h"
#include "server/web/channel_page.h"
#include "server/web/html.h"
#include "server/web/web_route.h"

namespace {

using namespace bulwark::server::web;

constexpr std::uint64_t max_number = (std::uint64_t{1} << 63) - 1;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_route(std::string_view target) {
  const WebRoute route = parse_web_target(target);
  switch (route.kind) {
    case WebRouteKind::channel_page:
    case WebRouteKind::post:
    case WebRouteKind::feed:
      check(bulwark::channel::is_valid_handle(route.handle) && route.error.empty());
      check(route.kind == WebRouteKind::post ? route.seq >= 1 && route.seq <= max_number
                                             : route.seq == 0);
      check(!route.before || (route.kind == WebRouteKind::channel_page && *route.before >= 1 &&
                              *route.before <= max_number));
      check(target.size() <= max_web_target_bytes);
      break;
    case WebRouteKind::bad_request:
    case WebRouteKind::not_found:
      check(!route.error.empty() && route.handle.empty());
      break;
  }
}

void check_escaped(std::string_view escaped) {
  check(escaped.find_first_of("<>\"'") == std::string_view::npos);
  // Control characters would fail check_text; valid UTF-8 otherwise.
  std::string without_newlines(escaped);
  for (char& c : without_newlines)
    if (c == '\n' || c == '\t') c = ' ';
  check(without_newlines.empty() || bulwark::channel::check_text(without_newlines,
                                                                 without_newlines.size(), "fuzz"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_route(input);

  const std::string escaped = xml_escape(input);
  check_escaped(escaped);
  check(html_escape(input) == escaped);

  PostView post;
  post.seq = 1 + size;
  post.text = std::string(input);
  post.signature = size % 2 == 0 ? SignatureStatus::verified : SignatureStatus::invalid;
  post.problem = std::string(input);
  post.removed = size % 7 == 3;
  const ChannelView channel{"fuzzed_channel", std::string(input), std::string(input), size,
                            std::string(input)};
  const std::string page = render_channel_page({channel, {post}, post.seq, post.seq, false});
  check(page.find("<script") == std::string::npos);
  check(page.find(escaped) != std::string::npos);
  const std::string feed = render_atom_feed(channel, {post}, "https://fuzz.test", 0);
  check(feed.find("<script") == std::string::npos);
  check(feed.find(escaped) != std::string::npos);
  return 0;
}
