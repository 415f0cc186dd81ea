#include "server/web/web_route.h"

#include <algorithm>
#include <charconv>

#include "channel/handle.h"

namespace bulwark::server::web {
namespace {

constexpr std::string_view prefix = "/s/";
constexpr std::string_view feed_segment = "feed.atom";
constexpr std::string_view before_parameter = "before=";

bool all_digits(std::string_view text) noexcept {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal of 1 to 2^63 - 1 without sign or leading zeros (seqs are SQLite integers).
std::optional<std::uint64_t> parse_positive(std::string_view text) noexcept {
  if (!all_digits(text) || text.size() > 19 || text[0] == '0') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value >= (1ull << 63))
    return std::nullopt;
  return value;
}

WebRoute refused(WebRouteKind kind, std::string why) {
  WebRoute route;
  route.kind = kind;
  route.error = std::move(why);
  return route;
}

WebRoute channel_route(WebRouteKind kind, std::string handle) {
  WebRoute route;
  route.kind = kind;
  route.handle = std::move(handle);
  return route;
}

}  // namespace

bool is_web_target(std::string_view target) noexcept {
  return target == "/s" || target.starts_with(prefix) || target.starts_with("/s?");
}

WebRoute parse_web_target(std::string_view target) {
  if (target.size() > max_web_target_bytes)
    return refused(WebRouteKind::bad_request, "the address is too long");
  if (!target.starts_with(prefix)) return refused(WebRouteKind::not_found, "no such page");
  std::string_view path = target.substr(prefix.size());
  std::string_view query;
  bool has_query = false;
  if (const std::size_t mark = path.find('?'); mark != std::string_view::npos) {
    query = path.substr(mark + 1);
    path = path.substr(0, mark);
    has_query = true;
  }
  if (path.find('#') != std::string_view::npos || query.find('#') != std::string_view::npos)
    return refused(WebRouteKind::bad_request, "a fragment is never sent to the server");

  const std::size_t slash = path.find('/');
  const std::string_view handle_text = path.substr(0, slash);
  auto handle = channel::canonical_handle(handle_text);
  if (!handle) return refused(WebRouteKind::not_found, "no such channel");

  if (slash == std::string_view::npos) {
    WebRoute route = channel_route(WebRouteKind::channel_page, std::move(*handle));
    if (!has_query) return route;
    if (!query.starts_with(before_parameter))
      return refused(WebRouteKind::bad_request, "the only query parameter is before=N");
    route.before = parse_positive(query.substr(before_parameter.size()));
    if (!route.before)
      return refused(WebRouteKind::bad_request, "before= takes a post number, 1 or more");
    return route;
  }

  const std::string_view rest = path.substr(slash + 1);
  if (rest == feed_segment) {
    if (has_query) return refused(WebRouteKind::bad_request, "the feed takes no query parameters");
    return channel_route(WebRouteKind::feed, std::move(*handle));
  }
  if (!all_digits(rest)) return refused(WebRouteKind::not_found, "no such page");
  const std::optional<std::uint64_t> seq = parse_positive(rest);
  if (!seq)
    return refused(WebRouteKind::bad_request, "a post number is 1 or more, without leading zeros");
  if (has_query) return refused(WebRouteKind::bad_request, "a post takes no query parameters");
  WebRoute route = channel_route(WebRouteKind::post, std::move(*handle));
  route.seq = *seq;
  return route;
}

std::string channel_path(std::string_view handle, std::optional<std::uint64_t> before) {
  std::string path = std::string(prefix) + std::string(handle);
  if (before) path += "?" + std::string(before_parameter) + std::to_string(*before);
  return path;
}

std::string post_path(std::string_view handle, std::uint64_t seq) {
  return std::string(prefix) + std::string(handle) + "/" + std::to_string(seq);
}

std::string feed_path(std::string_view handle) {
  return std::string(prefix) + std::string(handle) + "/" + std::string(feed_segment);
}

}  // namespace bulwark::server::web
