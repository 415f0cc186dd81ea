#include "channel/text.h"

#include <gtest/gtest.h>

namespace bulwark::channel {
namespace {

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

TEST(ChannelText, CountsCodePointsNotBytes) {
  EXPECT_TRUE(check_text(repeat("\xf0\x9f\x98\x80", max_post_chars), max_post_chars, "post"));
  EXPECT_FALSE(check_text(repeat("\xf0\x9f\x98\x80", max_post_chars + 1), max_post_chars, "post"));
  EXPECT_TRUE(check_text(repeat("a", max_post_chars), max_post_chars, "post"));
  auto over = check_text(repeat("a", max_post_chars + 1), max_post_chars, "post");
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().context.find("4096"), std::string::npos);
  EXPECT_EQ(code_points("h\xc3\xa9llo"), 5u);
}

TEST(ChannelText, RefusesMalformedUtf8) {
  for (std::string_view bad : {std::string_view("\xc3"), std::string_view("\xc0\xaf"),
                               std::string_view("\xed\xa0\x80"), std::string_view("\xf4\x90\x80\x80"),
                               std::string_view("\xff"), std::string_view("a\x80")}) {
    auto result = check_text(bad, 10, "post");
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().context.find("UTF-8"), std::string::npos);
  }
}

TEST(ChannelText, RefusesControlCharactersButKeepsNewlinesAndTabs) {
  EXPECT_TRUE(check_text("line one\nline\ttwo", 100, "post"));
  EXPECT_FALSE(check_text(std::string("nul\0byte", 8), 100, "post"));
  EXPECT_FALSE(check_text("escape\x1b[31m", 100, "post"));
  EXPECT_FALSE(check_text("c1\xc2\x85", 100, "post"));
}

TEST(ChannelText, EmptyOnlyWhereAllowed) {
  EXPECT_FALSE(check_text("", 100, "post"));
  EXPECT_TRUE(check_text("", 100, "description", true));
}

}  // namespace
}  // namespace bulwark::channel
