// Policy rules (moderation/rules.h).
#include "moderation/rules.h"

#include <optional>

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

RuleSpec rule(std::string name, RuleKind kind, std::vector<std::string> patterns,
              RuleEffect effect = RuleEffect::queue, Category category = Category::spam) {
  return RuleSpec{std::move(name), kind, std::move(patterns), category, effect};
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

TEST(ModerationRulesTest, RegexSeesTheWholeBoundedText) {
  auto rules = RuleSet::compile({rule("marker", RuleKind::regex, {"needle-[0-9]+"})});
  ASSERT_TRUE(rules);
  for (std::size_t at : {std::size_t{0}, std::size_t{2044}, std::size_t{5000}, max_match_input_bytes - 20}) {
    std::string text(max_match_input_bytes, ' ');
    text.replace(at, 10, "needle-123");
    EXPECT_TRUE(rules->match(text)) << at;
  }
  std::string beyond(max_match_input_bytes + 100, ' ');
  beyond.replace(max_match_input_bytes + 10, 10, "needle-123");
  EXPECT_FALSE(rules->match(beyond));
}

TEST(ModerationRulesTest, PatternsThatBacktrackElsewhereAreAnsweredInOnePass) {
  // Exponential for a backtracking engine on a text with no match; RE2 has no backtracking.
  auto rules = RuleSet::compile({rule("nested", RuleKind::regex, {"^(a|aa)+$", "(x+x+)+y"})});
  ASSERT_TRUE(rules) << rules.error().describe();
  EXPECT_TRUE(rules->match(std::string(200'000, 'a')));  // the first 16 KiB are all 'a'
  EXPECT_FALSE(rules->match(std::string(max_match_input_bytes - 1, 'x') + "!"));
  EXPECT_TRUE(rules->match("xxxxy"));
}

// RE2 compiles a set only if its automaton has room for 20 states of the largest size the
// program allows, and a many-match search never gives up for being slow: once compiled, the
// shared automaton cannot run out of memory, whatever the text. This checks that property at
// the smallest budget that compiles, on a text that makes a new state at every byte (a regex
// whose automaton has 2^16 states, on random a/b text, 50 times over). Were it ever to fail
// (another RE2), rules.cpp runs each regex alone and counts it; this test would say so.
TEST(ModerationRulesTest, TheSharedRegexAutomatonDoesNotRunOutOfMemoryOnceCompiled) {
  std::vector<std::string> patterns;
  for (int k = 0; k < 50; ++k) patterns.push_back("a[ab]{15}c" + std::to_string(k));
  const std::vector<RuleSpec> specs{rule("sixteenth-from-end", RuleKind::regex, patterns),
                                    rule("plain", RuleKind::regex, {"needle"})};
  std::optional<RuleSet> smallest;
  std::int64_t budget = 1 << 10;
  for (; budget <= (1 << 20) && !smallest; budget += 1 << 10)
    if (auto compiled = RuleSet::compile(specs, RegexBudget{budget})) smallest = std::move(*compiled);
  ASSERT_TRUE(smallest) << "no budget up to 1 MiB compiles";
  std::uint32_t state = 12345;
  std::string text;
  for (std::size_t i = 0; i < max_match_input_bytes - 64; ++i) {
    state = state * 1103515245u + 12345u;
    text.push_back((state >> 16) & 1 ? 'a' : 'b');
  }
  EXPECT_FALSE(smallest->match(text));
  EXPECT_EQ(smallest->match(text + " needle")->rule, "plain");
  std::string with_match = text;
  with_match.replace(100, 18, "abababababababab" "c7");
  EXPECT_EQ(smallest->match(with_match)->rule, "sixteenth-from-end");
  EXPECT_EQ(smallest->regex_fallbacks(), 0u) << "budget " << budget;
}

TEST(ModerationRulesTest, RegexFeaturesThatNeedBacktrackingAreRefusedAtStart) {
  auto backreference = RuleSet::compile({rule("echo", RuleKind::regex, {R"((\w+) \1)"})});
  ASSERT_FALSE(backreference);
  EXPECT_NE(backreference.error().context.find("\"echo\""), std::string::npos);
  EXPECT_NE(backreference.error().context.find("RE2"), std::string::npos);
  EXPECT_FALSE(RuleSet::compile({rule("look", RuleKind::regex, {"foo(?=bar)"})}));
}

TEST(ModerationRulesTest, EachRuleIsReportedByItsOwnKeywords) {
  auto rules = RuleSet::compile({rule("first", RuleKind::keywords, {"she", "hers"}),
                                 rule("second", RuleKind::keywords, {"he", "his"}, RuleEffect::hide,
                                      Category::hate)});
  ASSERT_TRUE(rules);
  auto first_only = rules->match("ushers");  // "he" and "she" inside a word: no boundary
  EXPECT_FALSE(first_only);
  auto both = rules->match("she said hers, not his");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->rule, "second");
  auto queue = rules->match("SHE left");
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->rule, "first");
}

TEST(ModerationRulesTest, KeywordBytesInAllAreBounded) {
  std::vector<std::string> patterns(max_patterns_per_rule, std::string(max_pattern_bytes, 'k'));
  std::vector<RuleSpec> rules;
  for (std::size_t i = 0; i * max_patterns_per_rule * max_pattern_bytes <= max_keyword_bytes; ++i)
    rules.push_back(rule("r" + std::to_string(i), RuleKind::keywords, patterns));
  auto compiled = RuleSet::compile(rules);
  ASSERT_FALSE(compiled);
  EXPECT_NE(compiled.error().context.find("1 MiB"), std::string::npos);
}

TEST(ModerationRulesTest, RegexesInAllAreBounded) {
  std::vector<std::string> patterns;
  for (std::size_t i = 0; i < max_patterns_per_rule; ++i) patterns.push_back("r" + std::to_string(i));
  const RuleSpec full = rule("regexes", RuleKind::regex, patterns);
  EXPECT_TRUE(RuleSet::compile({full}));
  auto over = RuleSet::compile({full, rule("one-more", RuleKind::regex, {"x"})});
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().context.find("\"one-more\""), std::string::npos);
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
