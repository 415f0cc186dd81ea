// Policy rules (moderation/rules.h).
#include "moderation/rules.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

RuleSpec rule(std::string name, RuleKind kind, std::vector<std::string> patterns,
              RuleEffect effect = RuleEffect::queue, Category category = Category::spam) {
  return RuleSpec{std::move(name), kind, std::move(patterns), category, effect};
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
}

TEST(ModerationRulesTest, HideRuleWinsOverAnEarlierQueueRule) {
  auto rules = RuleSet::compile({rule("spammy", RuleKind::keywords, {"offer"}),
                                 rule("scam-urls", RuleKind::regex, {R"(https?://scam\.example)"},
                                      RuleEffect::hide, Category::other)});
  ASSERT_TRUE(rules) << rules.error().describe();
  auto both = rules->match("Special offer at HTTP://SCAM.example/x");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->rule, "scam-urls");
  EXPECT_EQ(both->effect, RuleEffect::hide);
  EXPECT_EQ(both->category, Category::other);
  auto queue_only = rules->match("special offer");
  ASSERT_TRUE(queue_only);
  EXPECT_EQ(queue_only->rule, "spammy");
  EXPECT_EQ(queue_only->effect, RuleEffect::queue);
  EXPECT_FALSE(rules->match("nothing to see"));
}

TEST(ModerationRulesTest, HashRuleMatchesTheSha256OfThePostText) {
  const std::string text = "known illegal content";
  std::string digest = to_hex(view_of(crypto::sha256(as_bytes(text))));
  for (char& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto rules = RuleSet::compile({rule("known-media", RuleKind::sha256, {digest}, RuleEffect::hide,
                                      Category::csam)});
  ASSERT_TRUE(rules) << rules.error().describe();
  auto found = rules->match(text);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->category, Category::csam);
  EXPECT_FALSE(rules->match(text + " "));
}

TEST(ModerationRulesTest, BadRulesAreRefusedWithTheRuleNamed) {
  auto no_patterns = RuleSet::compile({rule("empty", RuleKind::keywords, {})});
  ASSERT_FALSE(no_patterns);
  EXPECT_NE(no_patterns.error().context.find("\"empty\""), std::string::npos);
  EXPECT_FALSE(RuleSet::compile({rule("bad-regex", RuleKind::regex, {"(unclosed"})}));
  EXPECT_FALSE(RuleSet::compile({rule("bad-hash", RuleKind::sha256, {"abcd"})}));
  EXPECT_FALSE(RuleSet::compile({rule("", RuleKind::keywords, {"x"})}));
  EXPECT_FALSE(RuleSet::compile({rule("long", RuleKind::keywords, {std::string(513, 'a')})}));
  std::vector<RuleSpec> many(max_rules + 1, rule("r", RuleKind::keywords, {"x"}));
  EXPECT_FALSE(RuleSet::compile(many));
}

TEST(ModerationRulesTest, RegexSeesTheWholeTextInOverlappingWindows) {
  auto rules = RuleSet::compile({rule("marker", RuleKind::regex, {"needle-[0-9]+"})});
  ASSERT_TRUE(rules);
  for (std::size_t at : {std::size_t{0}, regex_window_bytes - 4, std::size_t{5000}, max_match_input_bytes - 20}) {
    std::string text(max_match_input_bytes, ' ');
    text.replace(at, 10, "needle-123");
    EXPECT_TRUE(rules->match(text)) << at;
  }
}

TEST(ModerationRulesTest, LongInputIsMatchedWithoutCrashing) {
  auto rules = RuleSet::compile({rule("nested", RuleKind::regex, {"(a|aa)+$"})});
  ASSERT_TRUE(rules);
  const std::string text(200'000, 'a');
  (void)rules->match(text);  // bounded input: no stack exhaustion, whatever the answer
  SUCCEED();
}

TEST(ModerationRulesTest, RuleNamesKindsAndEffectsParse) {
  EXPECT_EQ(rule_kind_from_name("regex"), RuleKind::regex);
  EXPECT_EQ(rule_kind_from_name("sha256"), RuleKind::sha256);
  EXPECT_FALSE(rule_kind_from_name("glob"));
  EXPECT_EQ(rule_effect_from_name("hide"), RuleEffect::hide);
  EXPECT_FALSE(rule_effect_from_name("delete"));
}

}  // namespace
}  // namespace bulwark::moderation
