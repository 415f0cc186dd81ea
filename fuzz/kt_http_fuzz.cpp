// The witnesses' KT HTTP routes (server/kt_http.h) on hostile requests: the first byte picks
// the method (odd: POST, even: GET), the rest is the target up to the first 0 byte and the body
// after it (the whole rest is the target when there is no 0 byte).
//
// Oracles: nothing crashes; a parsed entry or cosignature carries a number below 2^63; a
// parsed cosignature came by POST, and its line is non-empty, at most 4096 bytes and holds no
// newline; an error carries its reason and no line.
#include "fuzz_target.h"

#include <cstdlib>
#include <string_view>

#include "server/kt_http.h"

namespace {

using bulwark::server::KtHttpRequest;
using bulwark::server::KtHttpRoute;

constexpr std::size_t max_line = 4096;
constexpr std::uint64_t max_number = (std::uint64_t{1} << 63) - 1;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool is_post = (data[0] & 1) != 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = rest.find('\0');
  const std::string_view target = rest.substr(0, split);
  const std::string_view body =
      split == std::string_view::npos ? std::string_view() : rest.substr(split + 1);

  const KtHttpRequest request = bulwark::server::parse_kt_http_request(is_post, target, body);
  switch (request.route) {
    case KtHttpRoute::checkpoint:
      check(!is_post && request.line.empty() && request.error.empty());
      break;
    case KtHttpRoute::entry:
      check(!is_post && request.index <= max_number && request.line.empty() &&
            request.error.empty());
      break;
    case KtHttpRoute::cosignature:
      check(is_post && request.index <= max_number && request.error.empty());
      check(!request.line.empty() && request.line.size() <= max_line);
      check(request.line.find('\n') == std::string::npos);
      // The line is the body's second line, as sent.
      check(body.find(request.line) != std::string_view::npos);
      break;
    case KtHttpRoute::not_found:
    case KtHttpRoute::bad_request:
      check(!request.error.empty() && request.line.empty());
      break;
  }
  return 0;
}
