// The web preview's HTML pages (server/web/channel_page.h, error_page.h): the markup contract
// of post_markup.h, paging links, signature badges, and hostile text in every field shown as
// text, never as markup.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/support/web_markup.h"
#include "server/web/channel_page.h"
#include "server/web/error_page.h"
#include "server/web/html.h"
#include "server/web/page_style.h"

namespace bulwark::server::web {
namespace {

using web_markup::between;
using web_markup::count;
using web_markup::first_foreign_markup;
using web_markup::html_vocabulary;

const std::vector<std::string> hostile_texts = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</textarea><script>window.__pwned=1</script>",
    "</div></article><iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">click</a> javascript:alert(1)",
    "&amp; &lt;b&gt; &#60;script&#62;",
    "<style>body{display:none}</style><!-- <base href=//evil>",
    "]]><![CDATA[<script>alert(1)</script>]]>",
    "controls \x01\x08\x0b\x1b[2J\x7f\xC2\x9B end",
    "line one\n<b>line two</b>\n\n\tindented",
};

ChannelView hostile_channel() {
  return ChannelView{"news_daily", "<script>alert('title')</script> & News",
                     "\"><img src=x onerror=alert(2)>\nsecond line", 1234567,
                     "ab12 <cd34> \"ef56\""};
}

PostView page_post(std::uint64_t seq, std::string text) {
  PostView view;
  view.seq = seq;
  view.signed_time_ms = 1714566896789;  // 2024-05-01T12:34:56.789Z
  view.server_time_ms = 1714566897000;
  view.text = std::move(text);
  view.views = seq;
  view.signature = SignatureStatus::verified;
  view.signer = "channel key";
  return view;
}

ChannelPage hostile_page() {
  ChannelPage page{hostile_channel(), {}, 3, std::nullopt, true};
  std::uint64_t seq = 3;
  for (const std::string& text : hostile_texts) page.posts.push_back(page_post(seq++, text));
  PostView forged = page_post(seq++, "<img src=x onerror=alert(3)>");
  forged.signature = SignatureStatus::invalid;
  forged.signer = "<b>admin</b>";
  forged.problem = "signature does not match <script>";
  page.posts.push_back(forged);
  PostView by_admin = page_post(seq++, "from an admin");
  by_admin.signer = "admin 1a2b\"3c4d";
  page.posts.push_back(by_admin);
  return page;
}

std::string expected_text_markup(std::string_view text) {
  std::string out = "<div class=\"text\" dir=\"auto\">";
  append_html_text_with_breaks(out, text);
  return out + "</div>";
}

TEST(WebChannelPageTest, IsACompletePhoneReadyDocumentWithoutScript) {
  const std::string html = render_channel_page(hostile_page());
  EXPECT_TRUE(
      html.starts_with("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_EQ(count(html, "<style>"), 1u);
  EXPECT_EQ(between(html, "<style>", "</style>"), page_style);
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "<SCRIPT"), 0u);
  EXPECT_TRUE(html.ends_with("</body>\n</html>\n"));
  EXPECT_NE(html.find("<link rel=\"alternate\" type=\"application/atom+xml\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/s/news_daily/feed.atom\""), std::string::npos);
}

TEST(WebChannelPageTest, HostileTextInEveryFieldIsShownAsText) {
  const ChannelPage page = hostile_page();
  const std::string html = render_channel_page(page);
  EXPECT_EQ(first_foreign_markup(html, html_vocabulary()), "");
  for (const std::string& text : hostile_texts) {
    SCOPED_TRACE(text);
    EXPECT_NE(html.find(expected_text_markup(text)), std::string::npos);
  }
  EXPECT_NE(
      html.find(
          "<h1 dir=\"auto\">&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; News</h1>"),
      std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;<br>second line"),
            std::string::npos);
  EXPECT_NE(html.find("<code>ab12 &lt;cd34&gt; &quot;ef56&quot;</code>"), std::string::npos);
  EXPECT_NE(html.find("(signature does not match &lt;script&gt;)"), std::string::npos);
  EXPECT_NE(html.find("Signed by admin 1a2b&quot;3c4d"), std::string::npos);
  // A user's "&amp;" is shown as typed: escaped once, not decoded and not escaped twice.
  EXPECT_NE(html.find("&amp;amp; &amp;lt;b&amp;gt; &amp;#60;script&amp;#62;"), std::string::npos);
  EXPECT_EQ(html.find("javascript:alert(1)\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
}

TEST(WebChannelPageTest, VeryLongTextIsShownWhole) {
  ChannelPage page{
      hostile_channel(), {page_post(1, std::string(4096 * 3, '<'))}, std::nullopt, std::nullopt, true};
  const std::string html = render_channel_page(page);
  EXPECT_EQ(first_foreign_markup(html, html_vocabulary()), "");
  EXPECT_EQ(count(html, "&lt;"),
            4096u * 3 + count(render_channel_page({hostile_channel(), {}, {}, {}, true}), "&lt;"));
}

TEST(WebChannelPageTest, PostsFollowTheMarkupContractNewestLast) {
  ChannelPage page{hostile_channel(), {page_post(7, "seven"), page_post(8, "eight")}, 7, std::nullopt, true};
  page.posts[1].edited = true;
  page.posts[1].views = 1;
  const std::string html = render_channel_page(page);
  const std::size_t seven = html.find(
      "<article class=\"post\" id=\"post-7\" data-seq=\"7\" data-signature=\"verified\">");
  const std::size_t eight = html.find(
      "<article class=\"post\" id=\"post-8\" data-seq=\"8\" data-signature=\"verified\">");
  ASSERT_NE(seven, std::string::npos);
  ASSERT_NE(eight, std::string::npos);
  EXPECT_LT(seven, eight);
  EXPECT_EQ(between(html, "<div class=\"text\" dir=\"auto\">", "</div>", seven), "seven");
  EXPECT_NE(html.find("<a class=\"permalink\" href=\"/s/news_daily/7\"><time "
                      "datetime=\"2024-05-01T12:34:56.789Z\">2024-05-01 12:34 UTC</time></a>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"views\">7 views</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"views\">1 view</span>"), std::string::npos);
  EXPECT_EQ(count(html, "<span class=\"edited\">edited</span>"), 1u);
  EXPECT_LT(seven, html.find("<span class=\"edited\">"));
  EXPECT_GT(html.find("<span class=\"edited\">"), eight);
  EXPECT_EQ(count(html, "\xE2\x9C\x93 Signed by the channel key"), 2u);
  EXPECT_NE(html.find("@news_daily \xC2\xB7 1,234,567 subscribers"), std::string::npos);
}

TEST(WebChannelPageTest, InvalidSignatureWarnsBeforeTheText) {
  PostView forged = page_post(4, "trust me");
  forged.signature = SignatureStatus::invalid;
  forged.problem = "signature does not match";
  const std::string html = render_channel_page({hostile_channel(), {forged}, {}, {}, true});
  const std::size_t article = html.find("data-signature=\"invalid\">");
  const std::size_t warning = html.find(
      "<p class=\"signature invalid\" role=\"alert\">\xE2\x9A\xA0 Signature invalid \xE2\x80\x94 "
      "do not trust this post (signature does not match)</p>");
  ASSERT_NE(article, std::string::npos);
  ASSERT_NE(warning, std::string::npos);
  EXPECT_LT(article, warning);
  EXPECT_LT(warning, html.find("trust me"));
  EXPECT_EQ(html.find("Signed by"), std::string::npos);
}

TEST(WebChannelPageTest, RemovedPostShowsANoteAndNoText) {
  PostView removed = page_post(5, "the secret that was removed");
  removed.removed = true;
  const std::string html = render_channel_page({hostile_channel(), {removed}, {}, {}, true});
  EXPECT_NE(
      html.find("id=\"post-5\" data-seq=\"5\" data-signature=\"verified\" data-removed=\"true\">"),
      std::string::npos);
  EXPECT_NE(html.find("<p class=\"removed\">This post was removed.</p>"), std::string::npos);
  EXPECT_EQ(html.find("the secret"), std::string::npos);
  EXPECT_EQ(html.find("class=\"text\""), std::string::npos);
}

TEST(WebChannelPageTest, PagingLinks) {
  const ChannelView channel = hostile_channel();
  const std::string newest =
      render_channel_page({channel, {page_post(11, "x")}, 11, std::nullopt, true});
  EXPECT_NE(newest.find("<a class=\"older\" rel=\"prev\" href=\"/s/news_daily?before=11\">"),
            std::string::npos);
  EXPECT_EQ(newest.find("class=\"newer\""), std::string::npos);
  // The older link comes before the posts, the newer one after them.
  const std::string middle = render_channel_page({channel, {page_post(6, "x")}, 6, 11, false});
  EXPECT_LT(middle.find("class=\"older\""), middle.find("id=\"post-6\""));
  EXPECT_GT(middle.find("<a class=\"newer\" rel=\"next\" href=\"/s/news_daily?before=11\">"),
            middle.find("id=\"post-6\""));
  const std::string next_is_newest =
      render_channel_page({channel, {page_post(6, "x")}, 6, std::nullopt, false});
  EXPECT_NE(next_is_newest.find("<a class=\"newer\" rel=\"next\" href=\"/s/news_daily\">"),
            std::string::npos);
  const std::string oldest = render_channel_page({channel, {page_post(1, "x")}, std::nullopt, 2, false});
  EXPECT_EQ(oldest.find("class=\"older\""), std::string::npos);
  const std::string empty = render_channel_page({channel, {}, std::nullopt, std::nullopt, true});
  EXPECT_NE(empty.find("No posts here yet."), std::string::npos);
  EXPECT_EQ(first_foreign_markup(empty, html_vocabulary()), "");
}

TEST(WebChannelPageTest, PostPageShowsOnePostAndLinksBack) {
  const std::string html = render_post_page(hostile_channel(), page_post(9, "<b>only</b> this\nsecond"));
  EXPECT_EQ(first_foreign_markup(html, html_vocabulary()), "");
  EXPECT_EQ(count(html, "<article "), 1u);
  EXPECT_NE(html.find("id=\"post-9\" data-seq=\"9\""), std::string::npos);
  EXPECT_NE(html.find("<a class=\"channel\" href=\"/s/news_daily\">"), std::string::npos);
  EXPECT_NE(html.find("<title>&lt;b&gt;only&lt;/b&gt; this \xE2\x80\x94 &lt;script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("<h1 dir=\"auto\"><a href=\"/s/news_daily\">&lt;script&gt;"),
            std::string::npos);
}

TEST(WebChannelPageTest, NotFoundPageSaysChannelNotFound) {
  const std::string html = render_not_found_page();
  EXPECT_EQ(first_foreign_markup(html, html_vocabulary()), "");
  EXPECT_NE(html.find("<h1>Channel not found</h1>"), std::string::npos);
  EXPECT_EQ(between(html, "<style>", "</style>"), page_style);
  EXPECT_EQ(html.find("<article"), std::string::npos);
  // One page for every missing or private channel: nothing in it depends on the request.
  EXPECT_EQ(html, render_not_found_page());
}

TEST(WebChannelPageTest, ErrorPageEscapesItsMessage) {
  const std::string html = render_error_page(400, "bad <input> \"here\"");
  EXPECT_EQ(first_foreign_markup(html, html_vocabulary()), "");
  EXPECT_NE(html.find("<h1>Bad request</h1>"), std::string::npos);
  EXPECT_NE(html.find("<p>bad &lt;input&gt; &quot;here&quot;</p>"), std::string::npos);
  EXPECT_NE(render_error_page(503, "x").find("<title>503 Busy, try again soon</title>"),
            std::string::npos);
  EXPECT_NE(render_error_page(500, "x").find("<h1>Something went wrong</h1>"), std::string::npos);
}

TEST(WebChannelPageTest, TheMarkupReaderCatchesInjectedMarkup) {
  // The reader these tests lean on must itself see what escaping would have stopped.
  for (std::string_view bad : {"<p>x<script>alert(1)</script></p>", "<p onclick=\"x\">x</p>",
                               "<a href=\"javascript:alert(1)\">x</a>", "<p>a > b</p>",
                               "<p>a & b</p>", "<img src=x>", "<p class=x>y</p>"}) {
    EXPECT_NE(first_foreign_markup(bad, html_vocabulary()), "") << bad;
  }
}

}  // namespace
}  // namespace bulwark::server::web
