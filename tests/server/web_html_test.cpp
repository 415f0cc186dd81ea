// Escaping for the web preview (server/web/html.h): hostile text comes out as text, never as
// markup, and nothing is dropped.
#include <gtest/gtest.h>

#include <string>

#include "server/web/html.h"

namespace bulwark::server::web {
namespace {

std::string with_breaks(std::string_view text) {
  std::string out;
  append_html_text_with_breaks(out, text);
  return out;
}

TEST(WebHtmlTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("<>&\"'"), "&lt;&gt;&amp;&quot;&#39;");
  EXPECT_EQ(xml_escape("<>&\"'"), "&lt;&gt;&amp;&quot;&#39;");
  EXPECT_EQ(html_escape("plain text, 123"), "plain text, 123");
}

TEST(WebHtmlTest, ScriptAndAttributeBreakoutsBecomeText) {
  EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(html_escape("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(html_escape("' onmouseover='alert(1)"), "&#39; onmouseover=&#39;alert(1)");
  EXPECT_EQ(html_escape("</textarea><b>"), "&lt;/textarea&gt;&lt;b&gt;");
  EXPECT_EQ(html_escape("<!-- x -->"), "&lt;!-- x --&gt;");
}

TEST(WebHtmlTest, EntitiesInTheInputAreEscapedOnceAsText) {
  // "&amp;" typed by a user is five characters to show, not an ampersand.
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");
  EXPECT_EQ(html_escape("&lt;script&gt;"), "&amp;lt;script&amp;gt;");
  EXPECT_EQ(html_escape("&#x3C;"), "&amp;#x3C;");
}

TEST(WebHtmlTest, JavascriptUrlsStayText) {
  // Nothing is ever turned into a link, so the scheme is harmless characters.
  EXPECT_EQ(html_escape("javascript:alert(1)"), "javascript:alert(1)");
}

TEST(WebHtmlTest, NewlinesBecomeBreaksAfterEscaping) {
  EXPECT_EQ(with_breaks("a<b\nc>d"), "a&lt;b<br>c&gt;d");
  EXPECT_EQ(with_breaks("\n\n"), "<br><br>");
  EXPECT_EQ(with_breaks("tab\there"), "tab\there");
  EXPECT_EQ(html_escape("a\nb"), "a\nb");
}

TEST(WebHtmlTest, ControlCharactersShowAsReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(html_escape("a\x01"
                        "b\x07"
                        "c\x1b[31m"),
            "a" + fffd + "b" + fffd + "c" + fffd + "[31m");
  EXPECT_EQ(html_escape("\r\x7f"), fffd + fffd);
  EXPECT_EQ(html_escape("\xC2\x85\xC2\x9F"), fffd + fffd);         // C1: NEL, APC
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE\xEF\xBF\xBF"), fffd + fffd);  // U+FFFE, U+FFFF
  EXPECT_EQ(xml_escape("\x0c"), fffd);
  // Letters outside ASCII, emoji and right-to-left text pass through.
  EXPECT_EQ(html_escape("h\xC3\xA9llo \xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"),
            "h\xC3\xA9llo \xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
}

TEST(WebHtmlTest, MalformedUtf8ShowsAsReplacementCharactersWithoutLosingTheRest) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(html_escape("a\xFF"
                        "b"),
            "a" + fffd + "b");
  EXPECT_EQ(html_escape("\xC0\xBC"), fffd + fffd);             // overlong '<'
  EXPECT_EQ(html_escape("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate
  EXPECT_EQ(html_escape("x\xE2\x82"), "x" + fffd + fffd);      // truncated
  EXPECT_EQ(xml_escape("\xF4\x90\x80\x80<"), fffd + fffd + fffd + fffd + "&lt;");
}

TEST(WebHtmlTest, CdataTerminatorIsEscapedInXml) {
  EXPECT_EQ(xml_escape("]]><x/>"), "]]&gt;&lt;x/&gt;");
}

TEST(WebHtmlTest, VeryLongTextIsEscapedWhole) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "<a>";
  const std::string out = html_escape(text);
  EXPECT_EQ(out.size(), 5000u * std::string("&lt;a&gt;").size());
  EXPECT_EQ(out.find('<'), std::string::npos);
}

TEST(WebHtmlTest, FirstLineExcerptSkipsBlankLinesAndCutsOnCodePoints) {
  EXPECT_EQ(first_line_excerpt("\n  \n  Hello world  \nsecond", 80), "Hello world");
  EXPECT_EQ(first_line_excerpt("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(first_line_excerpt("abc", 3), "abc");
  EXPECT_EQ(first_line_excerpt("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 2),
            "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xE2\x80\xA6");
  EXPECT_EQ(first_line_excerpt(" \n\t\n", 10), "");
  EXPECT_EQ(first_line_excerpt("", 10), "");
  // Stray continuation bytes are bounded too.
  EXPECT_LE(first_line_excerpt(std::string(1000, '\x80'), 10).size(), 40u + 3u);
}

}  // namespace
}  // namespace bulwark::server::web
