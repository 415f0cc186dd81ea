// The lawful-request routes (server/lawful_http.h): every target parses to a route or to a
// refusal with its reason, each route only by its method, and only the operators' routes take
// the larger body limit.
#include "server/lawful_http.h"

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

TEST(LawfulHttpRouteTest, OperatorRoutesParseWithTheirNumbers) {
  EXPECT_EQ(parse_lawful_route(false, "/admin/lawful/authorities").kind,
            LawfulRouteKind::authorities);
  EXPECT_EQ(parse_lawful_route(true, "/admin/lawful/authorities").kind,
            LawfulRouteKind::add_authority);
  EXPECT_EQ(parse_lawful_route(true, "/admin/lawful/orders").kind, LawfulRouteKind::submit);
  const auto orders = parse_lawful_route(false, "/admin/lawful/orders?after=5");
  EXPECT_EQ(orders.kind, LawfulRouteKind::orders);
  EXPECT_EQ(orders.number, 5u);
  const auto show = parse_lawful_route(false, "/admin/lawful/orders/12");
  EXPECT_EQ(show.kind, LawfulRouteKind::show);
  EXPECT_EQ(show.number, 12u);
  for (const auto& [suffix, kind] : {std::pair{"/approve", LawfulRouteKind::approve},
                                     std::pair{"/refuse", LawfulRouteKind::refuse},
                                     std::pair{"/release", LawfulRouteKind::release}}) {
    const auto step = parse_lawful_route(true, std::string("/admin/lawful/orders/12") + suffix);
    EXPECT_EQ(step.kind, kind) << suffix;
    EXPECT_EQ(step.number, 12u);
  }
}

TEST(LawfulHttpRouteTest, PublicRoutesParse) {
  EXPECT_EQ(parse_lawful_route(false, "/v1/lawful/checkpoint").kind, LawfulRouteKind::checkpoint);
  EXPECT_EQ(parse_lawful_route(false, "/v1/lawful/keys").kind, LawfulRouteKind::keys);
  EXPECT_EQ(parse_lawful_route(true, "/v1/lawful/cosignature").kind, LawfulRouteKind::cosignature);
  const auto entry = parse_lawful_route(false, "/v1/lawful/entry/3");
  EXPECT_EQ(entry.kind, LawfulRouteKind::entry);
  EXPECT_EQ(entry.number, 3u);
  EXPECT_EQ(parse_lawful_route(false, "/lawful").kind, LawfulRouteKind::report_page);
  EXPECT_EQ(parse_lawful_route(false, "/lawful.json").kind, LawfulRouteKind::report_json);
}

TEST(LawfulHttpRouteTest, WrongMethodsAndBadTargetsAreRefusedWithAReason) {
  for (const auto& [is_post, target] :
       {std::pair{false, "/admin/lawful/orders"}, std::pair{true, "/admin/lawful/orders/1"},
        std::pair{false, "/admin/lawful/orders/1/approve"}, std::pair{true, "/lawful.json"},
        std::pair{false, "/v1/lawful/cosignature"}, std::pair{true, "/v1/lawful/entry/1"}}) {
    const auto route = parse_lawful_route(is_post, target);
    EXPECT_EQ(route.kind, LawfulRouteKind::wrong_method) << target;
    EXPECT_FALSE(route.error.empty());
  }
  for (const char* target :
       {"/admin/lawful/orders/x", "/admin/lawful/orders/", "/admin/lawful/orders/1/approve/2",
        "/admin/lawful/orders?after=-1", "/admin/lawful/orders?since=3", "/v1/lawful/entry/",
        "/v1/lawful/entry/99999999999999999999999"}) {
    const auto route = parse_lawful_route(false, target);
    EXPECT_EQ(route.kind, LawfulRouteKind::bad_request) << target;
    EXPECT_FALSE(route.error.empty());
  }
  for (const char* target : {"/admin/lawful/", "/admin/lawful/keys", "/v1/lawful/",
                             "/v1/lawful/tree", "/lawful/", "/admin/moderation/queue"})
    EXPECT_EQ(parse_lawful_route(false, target).kind, LawfulRouteKind::not_found) << target;
}

TEST(LawfulHttpRouteTest, OnlyOperatorRoutesTakeTheLargerBody) {
  EXPECT_TRUE(is_lawful_admin_target("/admin/lawful/orders"));
  EXPECT_FALSE(is_lawful_admin_target("/v1/lawful/cosignature"));
  EXPECT_FALSE(is_lawful_admin_target("/lawful.json"));
  EXPECT_FALSE(is_lawful_admin_target("/admin/moderation/queue"));
  EXPECT_TRUE(is_lawful_target("/v1/lawful/keys"));
  EXPECT_FALSE(is_lawful_target("/lawfully"));
}

}  // namespace
}  // namespace bulwark::server
