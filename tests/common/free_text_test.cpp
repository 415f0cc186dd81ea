// Free text (common/free_text.h): readable UTF-8, nothing that breaks a decoder or a terminal.
#include "common/free_text.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark {
namespace {

TEST(FreeTextTest, AcceptsReadableUtf8WithNewlinesAndTabs) {
  EXPECT_TRUE(is_free_text(""));
  EXPECT_TRUE(is_free_text("Order too broad:\n\tno suspect named."));
  EXPECT_TRUE(is_free_text("Καλημέρα, Grüße, 日本語, 🙂"));
}

TEST(FreeTextTest, RefusesControlsAndMalformedUtf8) {
  for (const std::string& text :
       {std::string("line\rforged"), std::string("bell\a"), std::string("del\x7f"),
        std::string("nul\0x", 5), std::string("\xc3\x28"), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82"),
        std::string("\x1b[31mred")})
    EXPECT_FALSE(is_free_text(text)) << text;
}

}  // namespace
}  // namespace bulwark
