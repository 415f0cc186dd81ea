// The Atom feed (server/web/atom_feed.h): RFC 4287's required elements, entries in the given
// order, hostile text as escaped XML text, removed and forged posts marked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/support/web_markup.h"
#include "server/web/atom_feed.h"

namespace bulwark::server::web {
namespace {

using web_markup::atom_vocabulary;
using web_markup::between;
using web_markup::count;
using web_markup::first_foreign_markup;

const ChannelView feed_channel{"news_daily", "News <&> \"Daily\"", "All the ]]> news", 10, "ab12"};

PostView feed_post(std::uint64_t seq, std::string text) {
  PostView view;
  view.seq = seq;
  view.signed_time_ms = 1714566896789;
  view.server_time_ms = 1714566897000;
  view.text = std::move(text);
  view.signature = SignatureStatus::verified;
  view.signer = "channel key";
  return view;
}

TEST(WebAtomFeedTest, HasTheRequiredFeedElements) {
  const std::string xml =
      render_atom_feed(feed_channel, {}, "https://example.test:8443/", 1714566900000);
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"));
  EXPECT_TRUE(xml.ends_with("</feed>\n"));
  EXPECT_NE(xml.find("<id>https://example.test:8443/s/news_daily</id>"), std::string::npos);
  EXPECT_NE(xml.find("<title type=\"text\">News &lt;&amp;&gt; &quot;Daily&quot;</title>"),
            std::string::npos);
  EXPECT_NE(xml.find("<subtitle type=\"text\">All the ]]&gt; news</subtitle>"), std::string::npos);
  EXPECT_NE(xml.find("<updated>2024-05-01T12:35:00.000Z</updated>"), std::string::npos);
  EXPECT_NE(xml.find("<link rel=\"self\" type=\"application/atom+xml\" "
                     "href=\"https://example.test:8443/s/news_daily/feed.atom\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<author>\n<name>@news_daily</name>"), std::string::npos);
  EXPECT_EQ(first_foreign_markup(xml, atom_vocabulary()), "");
}

TEST(WebAtomFeedTest, EntriesKeepTheirOrderAndEscapeTheirText) {
  const std::vector<PostView> posts = {
      feed_post(3, "  \nFirst line <script>alert(1)</script>\nmore"),
      feed_post(2, "]]><img src=x onerror=alert(1)> & \"quotes\" 'too' \x01"),
      feed_post(1, std::string(200, 'x')),
  };
  const std::string xml = render_atom_feed(feed_channel, posts, "https://example.test", 0);
  EXPECT_EQ(first_foreign_markup(xml, atom_vocabulary()), "");
  EXPECT_EQ(count(xml, "<entry>"), 3u);
  EXPECT_LT(xml.find("<id>https://example.test/s/news_daily/3</id>"),
            xml.find("<id>https://example.test/s/news_daily/2</id>"));
  EXPECT_NE(
      xml.find("<title type=\"text\">First line &lt;script&gt;alert(1)&lt;/script&gt;</title>"),
      std::string::npos);
  EXPECT_NE(
      xml.find("<content type=\"text\">  \nFirst line &lt;script&gt;alert(1)&lt;/script&gt;\nmore"
               "</content>"),
      std::string::npos);
  EXPECT_NE(
      xml.find("]]&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39; "
               "\xEF\xBF\xBD</content>"),
      std::string::npos);
  EXPECT_NE(xml.find("<title type=\"text\">" + std::string(atom_title_chars, 'x') +
                     "\xE2\x80\xA6</title>"),
            std::string::npos);
  EXPECT_NE(xml.find("<link rel=\"alternate\" type=\"text/html\" "
                     "href=\"https://example.test/s/news_daily/1\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<published>2024-05-01T12:34:56.789Z</"
                     "published>\n<updated>2024-05-01T12:34:57.000Z</updated>"),
            std::string::npos);
  EXPECT_EQ(count(xml, "<script"), 0u);
  EXPECT_EQ(count(xml, "]]>"), 0u);
}

TEST(WebAtomFeedTest, RemovedAndForgedPostsAreMarked) {
  PostView removed = feed_post(5, "the removed text");
  removed.removed = true;
  PostView forged = feed_post(4, "believe this");
  forged.signature = SignatureStatus::invalid;
  forged.problem = "unknown signer";
  const std::string xml = render_atom_feed(feed_channel, {removed, forged}, "https://example.test", 0);
  EXPECT_EQ(first_foreign_markup(xml, atom_vocabulary()), "");
  EXPECT_EQ(xml.find("the removed text"), std::string::npos);
  EXPECT_NE(xml.find("<title type=\"text\">This post was removed.</title>"), std::string::npos);
  EXPECT_NE(xml.find("<title type=\"text\">[Signature invalid] believe this</title>"),
            std::string::npos);
  EXPECT_NE(
      xml.find("<content type=\"text\">\xE2\x9A\xA0 Signature invalid \xE2\x80\x94 do not trust "
               "this post (unknown signer).\n\nbelieve this</content>"),
      std::string::npos);
}

TEST(WebAtomFeedTest, BaseUrlIsEscapedToo) {
  const std::string xml = render_atom_feed(feed_channel, {feed_post(1, "x")}, "https://a.test/\"><x>", 0);
  EXPECT_EQ(first_foreign_markup(xml, atom_vocabulary()), "");
  EXPECT_NE(xml.find("https://a.test/&quot;&gt;&lt;x&gt;/s/news_daily"), std::string::npos);
}

TEST(WebAtomFeedTest, TimesAreClampedToFourDigitYears) {
  PostView far = feed_post(1, "x");
  far.signed_time_ms = UINT64_MAX;
  far.server_time_ms = -5;
  const std::string xml = render_atom_feed(feed_channel, {far}, "https://a.test", INT64_MAX);
  EXPECT_NE(xml.find("<published>9999-12-31T23:59:59.999Z</published>"), std::string::npos);
  EXPECT_NE(xml.find("<updated>1970-01-01T00:00:00.000Z</updated>"), std::string::npos);
  EXPECT_NE(xml.find("<updated>9999-12-31T23:59:59.999Z</updated>"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server::web
