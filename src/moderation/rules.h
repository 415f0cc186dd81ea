// The operator's policy rules (docs/MODERATION.md "Policy rules"), applied to public channels'
// posts only: private chats are end-to-end encrypted (the server holds ciphertext) and private
// channels are never scanned.
//
// A rule is a list of one kind of pattern:
//  - keywords: matched case-insensitively (ASCII letters folded) on word boundaries; a keyword
//    may be a phrase ("buy now"); a word character is an ASCII letter or digit, '_' or any
//    byte of a non-ASCII UTF-8 sequence;
//  - regex: ECMAScript regular expressions (std::regex, case-insensitive), searched anywhere in
//    the text;
//  - sha256: lower- or upper-case hex SHA-256 digests of known illegal media. Posts are text
//    only today, so a hash rule matches the SHA-256 of the post's UTF-8 text bytes.
// A match either queues the post for a moderator (effect queue) or hides it at once and
// queues it (effect hide). Rules are tried in configuration order; the first hide wins over
// any queue, so a post is hidden whenever any hide rule matches.
//
// Bounds: at most max_rules rules, max_patterns_per_rule patterns of at most
// max_pattern_bytes each; texts longer than max_match_input_bytes are matched on their first
// max_match_input_bytes bytes only (a post is at most 4096 code points, 16 KiB, so that is all
// of it). std::regex backtracks recursively, about 1 KiB of stack per character for patterns
// such as (a|aa)+, so a regex sees the text in windows of regex_window_bytes that overlap by
// regex_overlap_bytes: a regex match longer than the overlap that straddles two windows is
// missed (rules are for words and short phrases; say so to operators).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "moderation/category.h"

namespace bulwark::moderation {

inline constexpr std::size_t max_rules = 64;
inline constexpr std::size_t max_patterns_per_rule = 1000;
inline constexpr std::size_t max_pattern_bytes = 512;
inline constexpr std::size_t max_rule_name_bytes = 64;
inline constexpr std::size_t max_match_input_bytes = 16 * 1024;
inline constexpr std::size_t regex_window_bytes = 2048;
inline constexpr std::size_t regex_overlap_bytes = 256;

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

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Errc::invalid_argument naming the rule for an empty or over-long name, no patterns, too
  // many, an over-long pattern, a regex that does not compile or a hash that is not 64 hex
  // digits; too many rules.
  [[nodiscard]] static Result<RuleSet> compile(const std::vector<RuleSpec>& rules);

  // The first hide rule that matches `text`, else the first queue rule, else nullopt.
  [[nodiscard]] std::optional<RuleMatch> match(std::string_view text) const;
  [[nodiscard]] std::size_t size() const noexcept;

 private:
  struct Compiled;
  std::vector<std::unique_ptr<Compiled>> rules_;
};

// Whether `keyword` occurs in `text` case-insensitively (ASCII) on word boundaries.
[[nodiscard]] bool keyword_matches(std::string_view text, std::string_view keyword) noexcept;

}  // namespace bulwark::moderation
