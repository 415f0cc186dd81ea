#include "channel/handle.h"

#include <gtest/gtest.h>

namespace bulwark::channel {
namespace {

TEST(ChannelHandle, CanonicalFormIsLowerCaseWithoutAt) {
  EXPECT_EQ(canonical_handle("@Free_Press").value(), "free_press");
  EXPECT_EQ(canonical_handle("news2026").value(), "news2026");
}

TEST(ChannelHandle, RefusesWrongLengths) {
  EXPECT_EQ(canonical_handle("abcd").error().code, Errc::invalid_argument);
  EXPECT_TRUE(canonical_handle(std::string(32, 'a')).has_value());
  EXPECT_EQ(canonical_handle(std::string(33, 'a')).error().code, Errc::invalid_argument);
  EXPECT_EQ(canonical_handle("").error().code, Errc::invalid_argument);
}

TEST(ChannelHandle, RefusesCharactersThatAreNotAsciiSafe) {
  for (const char* handle : {"caf\xc3\xa9news", "news-today", "news today", "news/../x",
                             "news%20x", "<script>", "news.today", "\xd0\xb0pple"}) {
    auto result = canonical_handle(handle);
    ASSERT_FALSE(result.has_value()) << handle;
    EXPECT_EQ(result.error().code, Errc::invalid_argument);
  }
  EXPECT_NE(canonical_handle("café_news").error().context.find("ASCII"), std::string::npos);
}

TEST(ChannelHandle, RefusesAmbiguousShapes) {
  EXPECT_FALSE(canonical_handle("1news").has_value());
  EXPECT_FALSE(canonical_handle("_news").has_value());
  EXPECT_FALSE(canonical_handle("news_").has_value());
  EXPECT_FALSE(canonical_handle("new__s").has_value());
}

TEST(ChannelHandle, RefusesReservedNames) {
  for (const char* handle : {"admin", "Support", "security", "bulwark", "bulwark_news",
                             "BulwarkOfficial", "transparency", "moderation"}) {
    auto result = canonical_handle(handle);
    ASSERT_FALSE(result.has_value()) << handle;
    EXPECT_NE(result.error().context.find("reserved"), std::string::npos) << handle;
  }
  EXPECT_FALSE(is_valid_handle("support"));
  EXPECT_TRUE(is_valid_handle("free_press"));
}

}  // namespace
}  // namespace bulwark::channel
