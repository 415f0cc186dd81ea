// The lawful-request routes (server/lawful_http.h) on hostile targets: the first byte picks the
// method (odd: POST, even: GET), the rest is the target.
//
// Oracles: nothing crashes; a refusal carries its reason; an order step names an order, came by
// POST, and the target says that number; only operators' targets take the larger body limit.
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_target.h"
#include "server/lawful_http.h"

namespace {

using bulwark::server::LawfulRouteKind;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool post = (data[0] & 1) != 0;
  const std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto route = bulwark::server::parse_lawful_route(post, target);
  const bool admin = bulwark::server::is_lawful_admin_target(target);
  check(!admin || target.starts_with("/admin/lawful/"));
  switch (route.kind) {
    case LawfulRouteKind::not_found:
    case LawfulRouteKind::bad_request:
    case LawfulRouteKind::wrong_method:
      check(!route.error.empty());
      break;
    case LawfulRouteKind::approve:
    case LawfulRouteKind::refuse:
    case LawfulRouteKind::release:
      check(post && admin && target.find(std::to_string(route.number)) != std::string_view::npos);
      break;
    case LawfulRouteKind::show:
      check(!post && admin);
      break;
    case LawfulRouteKind::submit:
    case LawfulRouteKind::add_authority:
    case LawfulRouteKind::cosignature:
      check(post && route.error.empty());
      break;
    default:
      check(!post && route.error.empty());
      break;
  }
  return 0;
}
