#include "server/kt_http.h"

#include <charconv>

namespace bulwark::server {
namespace {

constexpr std::size_t max_cosignature_line = 4096;

// A decimal without sign or leading zeros that fits 63 bits (a C2SP tree size).
bool parse_number(std::string_view text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out < (1ull << 63);
}

KtHttpRequest error(KtHttpRoute route, std::string why) {
  return KtHttpRequest{route, 0, {}, std::move(why)};
}

}  // namespace

KtHttpRequest parse_kt_http_request(bool is_post, std::string_view target, std::string_view body) {
  constexpr std::string_view entry_prefix = "/v1/kt/entry/";
  if (target == "/v1/kt/checkpoint") {
    if (is_post) return error(KtHttpRoute::bad_request, "GET the checkpoint");
    return KtHttpRequest{KtHttpRoute::checkpoint, 0, {}, {}};
  }
  if (target.starts_with(entry_prefix)) {
    if (is_post) return error(KtHttpRoute::bad_request, "GET an entry");
    std::uint64_t index = 0;
    if (!parse_number(target.substr(entry_prefix.size()), index)) {
      return error(KtHttpRoute::bad_request, "an entry index is a decimal number");
    }
    return KtHttpRequest{KtHttpRoute::entry, index, {}, {}};
  }
  if (target == "/v1/kt/cosignature") {
    if (!is_post) return error(KtHttpRoute::bad_request, "POST a cosignature");
    const auto first = body.find('\n');
    if (first == std::string_view::npos || !body.ends_with('\n')) {
      return error(KtHttpRoute::bad_request, "expected \"<size>\\n<cosignature line>\\n\"");
    }
    std::uint64_t size = 0;
    if (!parse_number(body.substr(0, first), size)) {
      return error(KtHttpRoute::bad_request, "the size is a decimal number");
    }
    const std::string_view line = body.substr(first + 1, body.size() - first - 2);
    if (line.empty() || line.size() > max_cosignature_line ||
        line.find('\n') != std::string_view::npos) {
      return error(KtHttpRoute::bad_request, "one cosignature line expected");
    }
    return KtHttpRequest{KtHttpRoute::cosignature, size, std::string(line), {}};
  }
  return error(KtHttpRoute::not_found, "not found");
}

}  // namespace bulwark::server
