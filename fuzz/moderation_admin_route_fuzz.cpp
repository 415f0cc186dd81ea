// The moderators' API routes (server/moderation_admin.h) on hostile targets: the first byte
// picks the method (odd: POST, even: GET), the rest is the target.
//
// Oracles: nothing crashes; a refusal carries its reason; a case route names a case, came by
// the right method (GET to show, POST to act), and the target says that number.
#include "fuzz_target.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "server/moderation_admin.h"

namespace {

using bulwark::server::AdminRouteKind;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool post = (data[0] & 1) != 0;
  const std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto route = bulwark::server::parse_admin_route(post, target);
  switch (route.kind) {
    case AdminRouteKind::not_found:
    case AdminRouteKind::bad_request:
    case AdminRouteKind::wrong_method: check(!route.error.empty()); break;
    case AdminRouteKind::queue: check(!post && route.error.empty()); break;
    case AdminRouteKind::log: check(!post && route.error.empty()); break;
    case AdminRouteKind::show_case:
    case AdminRouteKind::act:
      check(post == (route.kind == AdminRouteKind::act));
      check(target.find(std::to_string(route.number)) != std::string_view::npos);
      break;
  }
  return 0;
}
