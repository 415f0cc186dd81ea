// parse_web_target (server/web/web_route.h): the web preview's routes, as a table.
#include "server/web/web_route.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::server::web {
namespace {

struct Case {
  std::string target;
  WebRouteKind kind;
  std::string handle = {};
  std::uint64_t seq = 0;
  std::optional<std::uint64_t> before = std::nullopt;
};

TEST(WebRouteTest, ParsesEveryRouteAndRefusesEverythingElse) {
  const std::vector<Case> cases = {
      {"/s/news_daily", WebRouteKind::channel_page, "news_daily"},
      {"/s/News_Daily", WebRouteKind::channel_page, "news_daily"},
      {"/s/@news_daily", WebRouteKind::channel_page, "news_daily"},
      {"/s/news_daily?before=17", WebRouteKind::channel_page, "news_daily", 0, 17},
      {"/s/news_daily?before=1", WebRouteKind::channel_page, "news_daily", 0, 1},
      {"/s/news_daily?before=9223372036854775807", WebRouteKind::channel_page, "news_daily", 0,
       9223372036854775807u},
      {"/s/news_daily/42", WebRouteKind::post, "news_daily", 42},
      {"/s/NEWS_DAILY/1", WebRouteKind::post, "news_daily", 1},
      {"/s/news_daily/feed.atom", WebRouteKind::feed, "news_daily"},
      // Malformed queries and numbers.
      {"/s/news_daily?before=0", WebRouteKind::bad_request},
      {"/s/news_daily?before=007", WebRouteKind::bad_request},
      {"/s/news_daily?before=-1", WebRouteKind::bad_request},
      {"/s/news_daily?before=", WebRouteKind::bad_request},
      {"/s/news_daily?before=abc", WebRouteKind::bad_request},
      {"/s/news_daily?before=9223372036854775808", WebRouteKind::bad_request},
      {"/s/news_daily?before=99999999999999999999", WebRouteKind::bad_request},
      {"/s/news_daily?before=5&before=6", WebRouteKind::bad_request},
      {"/s/news_daily?before=5&x=1", WebRouteKind::bad_request},
      {"/s/news_daily?utm_source=x", WebRouteKind::bad_request},
      {"/s/news_daily?", WebRouteKind::bad_request},
      {"/s/news_daily/0", WebRouteKind::bad_request},
      {"/s/news_daily/042", WebRouteKind::bad_request},
      {"/s/news_daily/9223372036854775808", WebRouteKind::bad_request},
      {"/s/news_daily/42?before=3", WebRouteKind::bad_request},
      {"/s/news_daily/feed.atom?x=1", WebRouteKind::bad_request},
      {"/s/news_daily#top", WebRouteKind::bad_request},
      // No such page or channel.
      {"/s/news_daily/", WebRouteKind::not_found},
      {"/s/news_daily/-1", WebRouteKind::not_found},
      {"/s/news_daily/1/2", WebRouteKind::not_found},
      {"/s/news_daily/feed.rss", WebRouteKind::not_found},
      {"/s/news_daily/feed.atom/", WebRouteKind::not_found},
      {"/s/news_daily/%34%32", WebRouteKind::not_found},
      {"/s/", WebRouteKind::not_found},
      {"/s", WebRouteKind::not_found},
      {"/s/abc", WebRouteKind::not_found},           // too short for a handle
      {"/s/admin", WebRouteKind::not_found},         // reserved
      {"/s/bulwark_team", WebRouteKind::not_found},  // reserved prefix
      {"/s/9lives", WebRouteKind::not_found},        // starts with a digit
      {"/s/news__daily", WebRouteKind::not_found},
      {"/s/news%5Fdaily", WebRouteKind::not_found},
      {"/s/news.daily", WebRouteKind::not_found},
      {"/s/<script>", WebRouteKind::not_found},
      {"/s/../etc/passwd", WebRouteKind::not_found},
      {"/s/" + std::string(33, 'a'), WebRouteKind::not_found},
      {std::string("/s/news\0daily", 13), WebRouteKind::not_found},
      {"/v1/kt/checkpoint", WebRouteKind::not_found},
      {"", WebRouteKind::not_found},
      {"/s/news_daily?before=1" + std::string(300, '0'), WebRouteKind::bad_request},
      {"/s/" + std::string(1000, 'a'), WebRouteKind::bad_request},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target);
    const WebRoute route = parse_web_target(c.target);
    EXPECT_EQ(route.kind, c.kind);
    EXPECT_EQ(route.handle, c.handle);
    EXPECT_EQ(route.seq, c.seq);
    EXPECT_EQ(route.before, c.before);
    const bool refused = c.kind == WebRouteKind::bad_request || c.kind == WebRouteKind::not_found;
    EXPECT_EQ(!route.error.empty(), refused);
  }
}

TEST(WebRouteTest, TargetsNearTheLengthLimit) {
  std::string target = "/s/news_daily?before=1";
  while (target.size() < max_web_target_bytes) target.insert(target.find('=') + 2, "0");
  EXPECT_EQ(parse_web_target(target).kind, WebRouteKind::bad_request);  // 2^63 or more
  EXPECT_EQ(parse_web_target(target + "0").error, "the address is too long");
}

TEST(WebRouteTest, KnowsWhichTargetsAreItsOwn) {
  EXPECT_TRUE(is_web_target("/s"));
  EXPECT_TRUE(is_web_target("/s/"));
  EXPECT_TRUE(is_web_target("/s/news_daily/feed.atom"));
  EXPECT_TRUE(is_web_target("/s?x"));
  EXPECT_FALSE(is_web_target("/s2/news_daily"));
  EXPECT_FALSE(is_web_target("/search"));
  EXPECT_FALSE(is_web_target("/v1/kt/checkpoint"));
  EXPECT_FALSE(is_web_target(""));
}

TEST(WebRouteTest, PathBuildersMatchTheRoutes) {
  EXPECT_EQ(channel_path("news_daily"), "/s/news_daily");
  EXPECT_EQ(channel_path("news_daily", 12), "/s/news_daily?before=12");
  EXPECT_EQ(post_path("news_daily", 7), "/s/news_daily/7");
  EXPECT_EQ(feed_path("news_daily"), "/s/news_daily/feed.atom");
  const WebRoute page = parse_web_target(channel_path("news_daily", 12));
  EXPECT_EQ(page.kind, WebRouteKind::channel_page);
  EXPECT_EQ(page.before, 12u);
  EXPECT_EQ(parse_web_target(post_path("news_daily", 7)).seq, 7u);
  EXPECT_EQ(parse_web_target(feed_path("news_daily")).kind, WebRouteKind::feed);
}

}  // namespace
}  // namespace bulwark::server::web
