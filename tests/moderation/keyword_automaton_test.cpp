// The policy rules' keyword automaton (moderation/keyword_automaton.h) against the one-keyword
// definition it implements.
#include "moderation/keyword_automaton.h"

#include <gtest/gtest.h>

#include "support/seeded_rng.h"

namespace bulwark::moderation {
namespace {

std::vector<bool> automaton_matches(const std::vector<std::string>& keywords,
                                    std::string_view text) {
  KeywordAutomaton automaton;
  for (std::size_t i = 0; i < keywords.size(); ++i)
    automaton.add(keywords[i], static_cast<std::uint32_t>(i));
  automaton.finish();
  std::vector<bool> found(keywords.size(), false);
  automaton.match(text, found);
  return found;
}

TEST(ModerationKeywordTest, MatchesCaseInsensitivelyOnWordBoundariesOnly) {
  EXPECT_TRUE(keyword_matches("Buy CHEAP pills", "cheap"));
  EXPECT_TRUE(keyword_matches("cheap!", "cheap"));
  EXPECT_TRUE(keyword_matches("a phrase: Buy Now, today", "buy now"));
  EXPECT_FALSE(keyword_matches("cheaper by the dozen", "cheap"));
  EXPECT_FALSE(keyword_matches("overcheap", "cheap"));
  EXPECT_FALSE(keyword_matches("cheap_x", "cheap"));
  // A non-ASCII letter next to the keyword is part of the word.
  EXPECT_FALSE(keyword_matches("cheap\xc3\xa9", "cheap"));
  EXPECT_FALSE(keyword_matches("", "cheap"));
  EXPECT_FALSE(keyword_matches("short", "much longer keyword"));
  // An edge that is not a word byte needs no boundary.
  EXPECT_TRUE(keyword_matches("pay$$$now", "$$$"));
}

TEST(KeywordAutomatonTest, OverlappingKeywordsAreAllFound) {
  const std::vector<std::string> keywords = {"he", "she", "his", "hers", "$$"};
  EXPECT_EQ(automaton_matches(keywords, "SHE and hers cost $$$"),
            (std::vector<bool>{false, true, false, true, true}));
  EXPECT_EQ(automaton_matches(keywords, "ushers"), (std::vector<bool>(5, false)));
  EXPECT_EQ(automaton_matches(keywords, "he"), (std::vector<bool>{true, false, false, false, false}));
}

TEST(KeywordAutomatonTest, AgreesWithTheOneKeywordDefinitionOnRandomTexts) {
  // A small alphabet with word and non-word bytes and both cases makes overlaps, failure links
  // and boundaries common.
  const std::string alphabet = "aAbB _-\xc3";
  bulwark::testing::SeededRng rng(7);
  auto pick = [&] { return static_cast<std::size_t>(rng.next() % alphabet.size()); };
  auto random_text = [&](std::size_t length) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[pick()];
    return text;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> keywords;
    for (int k = 0; k < 6; ++k) keywords.push_back(random_text(1 + pick() % 4));
    const std::string text = random_text(40);
    const auto found = automaton_matches(keywords, text);
    for (std::size_t k = 0; k < keywords.size(); ++k)
      ASSERT_EQ(found[k], keyword_matches(text, keywords[k]))
          << "keyword \"" << keywords[k] << "\" in \"" << text << "\"";
  }
}

TEST(KeywordAutomatonTest, OneOwnerFoundByAnyOfItsKeywords) {
  KeywordAutomaton automaton;
  automaton.add("alpha", 0);
  automaton.add("beta", 0);
  automaton.add("gamma", 1);
  automaton.finish();
  std::vector<bool> found(2, false);
  automaton.match("beta test", found);
  EXPECT_EQ(found, (std::vector<bool>{true, false}));
}

}  // namespace
}  // namespace bulwark::moderation
