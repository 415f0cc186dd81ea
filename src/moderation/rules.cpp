#include "moderation/rules.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>
#include <map>

#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

// Past the shared automaton's budget (RegexBudget) the set reports out-of-memory and each regex
// runs alone (still linear; slower) with this budget, compiled for that text and dropped after
// it, so no memory is kept per regex.
constexpr std::int64_t lone_regex_max_memory = 8 << 20;

Result<void> problem(const RuleSpec& rule, std::string what) {
  return fail(Errc::invalid_argument, "moderation rule \"" + rule.name + "\": " + what);
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

RE2::Options regex_options(std::int64_t max_memory) {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);  // a bad pattern is reported to the operator, not to stderr
  options.set_max_mem(max_memory);
  return options;
}

Result<void> check_pattern(const RuleSpec& rule, const std::string& pattern) {
  if (pattern.empty() || pattern.size() > max_pattern_bytes)
    return problem(rule, "patterns must be 1-512 bytes");
  if (rule.kind == RuleKind::sha256 && (pattern.size() != 64 || !is_hex(pattern)))
    return problem(rule, "a sha256 pattern is 64 hex digits");
  return {};
}

}  // namespace

struct RuleSet::Compiled {
  std::vector<RuleMatch> outcomes;  // what each rule's match reports, in configuration order
  KeywordAutomaton keywords;
  std::map<std::string, std::vector<std::uint32_t>> hashes;  // lower-case hex -> rules
  explicit Compiled(RegexBudget regex_budget)
      : budget(regex_budget), regex_set(regex_options(budget.set_bytes), RE2::UNANCHORED) {}

  RegexBudget budget;
  RE2::Set regex_set;
  mutable std::atomic<std::uint64_t> fallbacks{0};
  std::vector<std::uint32_t> regex_rule;  // the rule of each regex, by set index
  std::vector<std::string> regex_patterns;  // the same regexes' text, for the fallback

  Result<void> add(const RuleSpec& rule, std::uint32_t index, std::size_t& keyword_bytes) {
    for (const std::string& pattern : rule.patterns) {
      BULWARK_TRY(check_pattern(rule, pattern));
      switch (rule.kind) {
        case RuleKind::keywords:
          keyword_bytes += pattern.size();
          if (keyword_bytes > max_keyword_bytes)
            return problem(rule, "the rules' keywords exceed 1 MiB in all");
          keywords.add(pattern, index);
          break;
        case RuleKind::sha256: hashes[lower(pattern)].push_back(index); break;
        case RuleKind::regex: {
          if (regex_rule.size() == max_regex_patterns)
            return problem(rule, "the rules hold more than " + std::to_string(max_regex_patterns) +
                                     " regexes in all");
          std::string error;
          if (regex_set.Add(pattern, &error) < 0)
            return problem(rule, "RE2 does not accept a regex: " + error);
          regex_rule.push_back(index);
          regex_patterns.push_back(pattern);
          break;
        }
      }
    }
    return {};
  }

  void match_regexes(std::string_view text, std::vector<bool>& found) const {
    if (regex_rule.empty()) return;
    std::vector<int> hits;
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    if (regex_set.Match(text, &hits, &error)) {
      for (int hit : hits) found[regex_rule[static_cast<std::size_t>(hit)]] = true;
      return;
    }
    if (error.kind == RE2::Set::kNoError) return;
    // The shared automaton ran out of memory on this text. RE2 2022-06 cannot get here: a set
    // compiles only with room for 20 states of the largest size, and a many-match search never
    // bails for being slow (ModerationRulesTest.TheSharedRegexAutomatonDoesNotRunOutOfMemory-
    // OnceCompiled). Should another RE2 do so, each regex runs alone (its NFA is still linear)
    // rather than the post going unmatched, and regex_fallbacks() counts it.
    fallbacks.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < regex_patterns.size(); ++i) {
      if (found[regex_rule[i]]) continue;
      const RE2 alone(regex_patterns[i], regex_options(lone_regex_max_memory));
      if (alone.ok() && RE2::PartialMatch(text, alone)) found[regex_rule[i]] = true;
    }
  }
};

std::string_view rule_kind_name(RuleKind kind) noexcept {
  switch (kind) {
    case RuleKind::keywords: return "keywords";
    case RuleKind::regex: return "regex";
    case RuleKind::sha256: return "sha256";
  }
  return "keywords";
}

std::optional<RuleKind> rule_kind_from_name(std::string_view name) noexcept {
  for (RuleKind kind : {RuleKind::keywords, RuleKind::regex, RuleKind::sha256})
    if (rule_kind_name(kind) == name) return kind;
  return std::nullopt;
}

std::string_view rule_effect_name(RuleEffect effect) noexcept {
  return effect == RuleEffect::hide ? "hide" : "queue";
}

std::optional<RuleEffect> rule_effect_from_name(std::string_view name) noexcept {
  if (name == "hide") return RuleEffect::hide;
  if (name == "queue") return RuleEffect::queue;
  return std::nullopt;
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

std::size_t RuleSet::size() const noexcept { return compiled_ ? compiled_->outcomes.size() : 0; }

std::uint64_t RuleSet::regex_fallbacks() const noexcept {
  return compiled_ ? compiled_->fallbacks.load(std::memory_order_relaxed) : 0;
}

Result<RuleSet> RuleSet::compile(const std::vector<RuleSpec>& rules, RegexBudget budget) {
  if (rules.size() > max_rules)
    return fail(Errc::invalid_argument,
                "at most " + std::to_string(max_rules) + " moderation rules");
  auto compiled = std::make_unique<Compiled>(budget);
  std::size_t keyword_bytes = 0;
  for (const RuleSpec& rule : rules) {
    if (rule.name.empty() || rule.name.size() > max_rule_name_bytes)
      return fail(Errc::invalid_argument, "a moderation rule needs a name of 1-64 bytes");
    if (rule.patterns.empty()) BULWARK_TRY(problem(rule, "has no patterns"));
    if (rule.patterns.size() > max_patterns_per_rule)
      BULWARK_TRY(problem(rule, "has more than " + std::to_string(max_patterns_per_rule) + " patterns"));
    BULWARK_TRY(compiled->add(rule, static_cast<std::uint32_t>(compiled->outcomes.size()), keyword_bytes));
    compiled->outcomes.push_back(RuleMatch{rule.name, rule.category, rule.effect});
  }
  compiled->keywords.finish();
  if (!compiled->regex_rule.empty() && !compiled->regex_set.Compile())
    return fail(Errc::invalid_argument, "the moderation rules' regexes need more than " +
                                            std::to_string(budget.set_bytes >> 20) + " MiB");
  RuleSet set;
  set.compiled_ = std::move(compiled);
  return set;
}

std::optional<RuleMatch> RuleSet::match(std::string_view text) const {
  if (!compiled_ || compiled_->outcomes.empty()) return std::nullopt;
  const Compiled& rules = *compiled_;
  std::vector<bool> found(rules.outcomes.size(), false);
  if (!rules.hashes.empty()) {
    // The hash covers the whole text; the patterns see at most the bound.
    const std::string text_hash = to_hex(view_of(crypto::sha256(as_bytes(text))));
    if (auto it = rules.hashes.find(text_hash); it != rules.hashes.end())
      for (std::uint32_t index : it->second) found[index] = true;
  }
  if (text.size() > max_match_input_bytes) text = text.substr(0, max_match_input_bytes);
  rules.keywords.match(text, found);
  rules.match_regexes(text, found);
  std::optional<RuleMatch> first_queue;
  for (std::size_t i = 0; i < rules.outcomes.size(); ++i) {
    if (!found[i]) continue;
    if (rules.outcomes[i].effect == RuleEffect::hide) return rules.outcomes[i];
    if (!first_queue) first_queue = rules.outcomes[i];
  }
  return first_queue;
}

}  // namespace bulwark::moderation
