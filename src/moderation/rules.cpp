#include "moderation/rules.h"

#include <algorithm>
#include <regex>
#include <set>

#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

char fold(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_byte(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         byte >= 0x80;
}

bool equal_folded(std::string_view text, std::size_t at, std::string_view keyword) noexcept {
  for (std::size_t i = 0; i < keyword.size(); ++i)
    if (fold(text[at + i]) != fold(keyword[i])) return false;
  return true;
}

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
  for (char& c : out) c = fold(c);
  return out;
}

// Searches `text` window by window (rules.h: bounded recursion depth).
bool regex_matches(std::string_view text, const std::regex& regex) {
  std::size_t start = 0;
  while (true) {
    const std::string_view window = text.substr(start, regex_window_bytes);
    // std::regex reports a runaway match by throwing; no exception leaves this module, and a
    // pattern that cannot finish on this text is no match.
    try {
      if (std::regex_search(window.begin(), window.end(), regex)) return true;
    } catch (const std::regex_error&) {
    }
    if (start + window.size() >= text.size()) return false;
    start += regex_window_bytes - regex_overlap_bytes;
  }
}

}  // namespace

struct RuleSet::Compiled {
  RuleSpec spec;
  std::vector<std::regex> regexes;
  std::set<std::string> hashes;  // lower-case hex

  [[nodiscard]] bool matches(std::string_view text, const std::string& text_hash) const {
    switch (spec.kind) {
      case RuleKind::keywords:
        return std::any_of(spec.patterns.begin(), spec.patterns.end(),
                           [&](const std::string& keyword) { return keyword_matches(text, keyword); });
      case RuleKind::sha256: return hashes.count(text_hash) != 0;
      case RuleKind::regex:
        return std::any_of(regexes.begin(), regexes.end(),
                           [&](const std::regex& regex) { return regex_matches(text, regex); });
    }
    return false;
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

std::size_t RuleSet::size() const noexcept { return rules_.size(); }

Result<RuleSet> RuleSet::compile(const std::vector<RuleSpec>& rules) {
  if (rules.size() > max_rules)
    return fail(Errc::invalid_argument,
                "at most " + std::to_string(max_rules) + " moderation rules");
  RuleSet set;
  for (const RuleSpec& rule : rules) {
    if (rule.name.empty() || rule.name.size() > max_rule_name_bytes)
      return fail(Errc::invalid_argument, "a moderation rule needs a name of 1-64 bytes");
    if (rule.patterns.empty()) BULWARK_TRY(problem(rule, "has no patterns"));
    if (rule.patterns.size() > max_patterns_per_rule)
      BULWARK_TRY(problem(rule, "has more than " + std::to_string(max_patterns_per_rule) + " patterns"));
    auto compiled = std::make_unique<Compiled>();
    compiled->spec = rule;
    for (const std::string& pattern : rule.patterns) {
      if (pattern.empty() || pattern.size() > max_pattern_bytes)
        BULWARK_TRY(problem(rule, "patterns must be 1-512 bytes"));
      if (rule.kind == RuleKind::sha256) {
        if (pattern.size() != 64 || !is_hex(pattern))
          BULWARK_TRY(problem(rule, "a sha256 pattern is 64 hex digits"));
        compiled->hashes.insert(lower(pattern));
      } else if (rule.kind == RuleKind::regex) {
        try {
          compiled->regexes.emplace_back(pattern, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error&) {
          BULWARK_TRY(problem(rule, "a regex does not compile"));
        }
      }
    }
    set.rules_.push_back(std::move(compiled));
  }
  return set;
}

std::optional<RuleMatch> RuleSet::match(std::string_view text) const {
  // The hash covers the whole text; the patterns see at most the bound.
  const std::string text_hash = to_hex(view_of(crypto::sha256(as_bytes(text))));
  if (text.size() > max_match_input_bytes) text = text.substr(0, max_match_input_bytes);
  std::optional<RuleMatch> first_queue;
  for (const auto& rule : rules_) {
    if (rule->spec.effect == RuleEffect::queue && first_queue) continue;
    if (!rule->matches(text, text_hash)) continue;
    RuleMatch found{rule->spec.name, rule->spec.category, rule->spec.effect};
    if (rule->spec.effect == RuleEffect::hide) return found;
    first_queue = std::move(found);
  }
  return first_queue;
}

bool keyword_matches(std::string_view text, std::string_view keyword) noexcept {
  if (keyword.empty() || keyword.size() > text.size()) return false;
  for (std::size_t at = 0; at + keyword.size() <= text.size(); ++at) {
    if (!equal_folded(text, at, keyword)) continue;
    const bool starts = at == 0 || !is_word_byte(text[at - 1]) || !is_word_byte(keyword.front());
    const std::size_t end = at + keyword.size();
    const bool ends = end == text.size() || !is_word_byte(text[end]) || !is_word_byte(keyword.back());
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace bulwark::moderation
