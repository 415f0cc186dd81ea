// The operator's policy rules (docs/MODERATION.md "Policy rules"), applied to public channels'
// posts only: private chats are end-to-end encrypted (the server holds ciphertext) and private
// channels are never scanned.
//
// A rule is a list of one kind of pattern:
//  - keywords: matched case-insensitively (ASCII letters folded) on word boundaries
//    (keyword_automaton.h); a keyword may be a phrase ("buy now");
//  - regex: RE2 syntax, case-insensitive, searched anywhere in the text;
//  - sha256: lower- or upper-case hex SHA-256 digests of known illegal media. Posts are text
//    only today, so a hash rule matches the SHA-256 of the post's UTF-8 text bytes.
// A match either queues the post for a moderator (effect queue) or hides it at once and
// queues it (effect hide). Rules are tried in configuration order; the first hide wins over
// any queue, so a post is hidden whenever any hide rule matches.
//
// Time: a match is linear in the text, whatever the rules hold. Every keyword of every rule is
// found in one pass (Aho-Corasick) and every regex of every rule in one pass of RE2's
// automaton (RE2 has no backtracking, so no pattern can take exponential time). Bounds: at
// most max_rules rules, max_patterns_per_rule patterns of at most max_pattern_bytes each,
// max_keyword_bytes of keywords and max_regex_patterns regexes in all; texts longer than
// max_match_input_bytes are matched on their first max_match_input_bytes bytes only (a post is
// at most 4096 code points, 16 KiB, so that is all of it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "moderation/category.h"
#include "moderation/keyword_automaton.h"

namespace bulwark::moderation {

inline constexpr std::size_t max_rules = 64;
inline constexpr std::size_t max_patterns_per_rule = 1000;
inline constexpr std::size_t max_pattern_bytes = 512;
inline constexpr std::size_t max_rule_name_bytes = 64;
inline constexpr std::size_t max_keyword_bytes = 1024 * 1024;
inline constexpr std::size_t max_regex_patterns = 1000;
inline constexpr std::size_t max_match_input_bytes = 16 * 1024;

enum class RuleKind { keywords, regex, sha256 };
enum class RuleEffect { queue, hide };

[[nodiscard]] std::string_view rule_kind_name(RuleKind kind) noexcept;
[[nodiscard]] std::optional<RuleKind> rule_kind_from_name(std::string_view name) noexcept;
[[nodiscard]] std::string_view rule_effect_name(RuleEffect effect) noexcept;
[[nodiscard]] std::optional<RuleEffect> rule_effect_from_name(std::string_view name) noexcept;

struct RuleSpec {
  std::string name;  // shown to moderators, never to the public
  RuleKind kind = RuleKind::keywords;
  std::vector<std::string> patterns;
  Category category = Category::other;
  RuleEffect effect = RuleEffect::queue;
};

struct RuleMatch {
  std::string rule;
  Category category = Category::other;
  RuleEffect effect = RuleEffect::queue;
};

// How much memory RE2 may use for all the rules' regexes together (its shared automaton).
// When a text needs more, each regex runs alone instead (see match()). Tests lower it to make
// that happen.
struct RegexBudget {
  std::int64_t set_bytes = 64 << 20;
};

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Errc::invalid_argument naming the rule for an empty or over-long name, no patterns, too
  // many, an over-long pattern, a regex RE2 does not accept or a hash that is not 64 hex
  // digits; too many rules or keyword bytes.
  [[nodiscard]] static Result<RuleSet> compile(const std::vector<RuleSpec>& rules,
                                               RegexBudget budget = {});

  // The first hide rule that matches `text`, else the first queue rule, else nullopt.
  [[nodiscard]] std::optional<RuleMatch> match(std::string_view text) const;
  [[nodiscard]] std::size_t size() const noexcept;
  // How many texts the shared regex automaton ran out of memory on (each regex then ran alone).
  [[nodiscard]] std::uint64_t regex_fallbacks() const noexcept;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace bulwark::moderation
