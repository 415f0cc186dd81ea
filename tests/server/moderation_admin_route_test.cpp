// The moderators' API routes (server/moderation_admin.h): every target parses to a route or to
// a refusal with its reason, and each route only by its method.
#include <gtest/gtest.h>

#include "server/moderation_admin.h"

namespace bulwark::server {
namespace {

TEST(ModerationAdminRouteTest, RoutesParseWithTheirNumbers) {
  EXPECT_EQ(parse_admin_route(false, "/admin/moderation/queue").kind, AdminRouteKind::queue);
  const auto log = parse_admin_route(false, "/admin/moderation/log?after=12");
  EXPECT_EQ(log.kind, AdminRouteKind::log);
  EXPECT_EQ(log.number, 12u);
  EXPECT_EQ(parse_admin_route(false, "/admin/moderation/log").number, 0u);
  const auto show = parse_admin_route(false, "/admin/moderation/cases/7");
  EXPECT_EQ(show.kind, AdminRouteKind::show_case);
  EXPECT_EQ(show.number, 7u);
  const auto act = parse_admin_route(true, "/admin/moderation/cases/7/act");
  EXPECT_EQ(act.kind, AdminRouteKind::act);
  EXPECT_EQ(act.number, 7u);
}

TEST(ModerationAdminRouteTest, WrongMethodsAndBadTargetsAreRefusedWithAReason) {
  EXPECT_EQ(parse_admin_route(true, "/admin/moderation/queue").kind, AdminRouteKind::wrong_method);
  EXPECT_EQ(parse_admin_route(false, "/admin/moderation/cases/7/act").kind, AdminRouteKind::wrong_method);
  EXPECT_EQ(parse_admin_route(true, "/admin/moderation/cases/7").kind, AdminRouteKind::wrong_method);
  for (const char* target : {"/admin/moderation/cases/x", "/admin/moderation/cases/",
                             "/admin/moderation/cases/99999999999999999999999",
                             "/admin/moderation/log?after=-1", "/admin/moderation/log?since=3"}) {
    const auto route = parse_admin_route(false, target);
    EXPECT_EQ(route.kind, AdminRouteKind::bad_request) << target;
    EXPECT_FALSE(route.error.empty());
  }
  EXPECT_EQ(parse_admin_route(false, "/admin/moderation/other").kind, AdminRouteKind::not_found);
  EXPECT_EQ(parse_admin_route(false, "/s/free_press").kind, AdminRouteKind::not_found);
}

}  // namespace
}  // namespace bulwark::server
