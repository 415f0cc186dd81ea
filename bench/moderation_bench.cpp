// Issue 7's policy rules: what matching one public post costs the store thread
// (moderation/rules.h), from an ordinary rule list to the largest the configuration allows,
// on a post of the largest size (16 KiB) that matches nothing, so every pattern is tried.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "moderation/rules.h"

namespace bulwark::moderation {
namespace {

// A 16 KiB post of ordinary words, none of them a pattern.
std::string ordinary_post() {
  const std::vector<std::string> words = {"the", "council", "met", "on", "tuesday", "and",
                                          "voted", "to", "repair", "bridge", "budget", "2027"};
  std::string text;
  for (std::size_t i = 0; text.size() < max_match_input_bytes; ++i) {
    text += words[(i * 7) % words.size()];
    text += (i % 13 == 12) ? ". " : " ";
  }
  text.resize(max_match_input_bytes);
  return text;
}

RuleSet compile_or_die(const std::vector<RuleSpec>& rules) {
  auto compiled = RuleSet::compile(rules);
  if (!compiled) std::abort();
  return std::move(*compiled);
}

// `rules` keyword rules of `per_rule` keywords each ("kw<rule>x<n>wordy").
RuleSet keyword_rules(std::size_t rules, std::size_t per_rule) {
  std::vector<RuleSpec> specs;
  for (std::size_t r = 0; r < rules; ++r) {
    RuleSpec spec{"words" + std::to_string(r), RuleKind::keywords, {}, Category::spam,
                  RuleEffect::queue};
    for (std::size_t k = 0; k < per_rule; ++k)
      spec.patterns.push_back("kw" + std::to_string(r) + "x" + std::to_string(k) + "wordy");
    specs.push_back(std::move(spec));
  }
  return compile_or_die(specs);
}

// `count` regexes in one rule, each a pattern a backtracking engine finds costly.
RuleSet regex_rules(std::size_t count) {
  RuleSpec spec{"regexes", RuleKind::regex, {}, Category::other, RuleEffect::hide};
  for (std::size_t i = 0; i < count; ++i)
    spec.patterns.push_back("(b+u+)+dget" + std::to_string(i) + "[0-9]{3}");
  return compile_or_die({spec});
}

void run(benchmark::State& state, const RuleSet& rules) {
  const std::string post = ordinary_post();
  for (auto _ : state) {
    auto found = rules.match(post);
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * post.size()));
}

void BM_Keywords(benchmark::State& state) {
  const RuleSet rules = keyword_rules(static_cast<std::size_t>(state.range(0)),
                                      static_cast<std::size_t>(state.range(1)));
  run(state, rules);
}
// 3 rules of 20 keywords; then the configuration's maximum, 64 rules of 1,000 (1 MiB in all
// would be reached first with longer keywords; these are ~12 bytes).
BENCHMARK(BM_Keywords)->Args({3, 20})->Args({64, 1000})->Unit(benchmark::kMicrosecond);

void BM_Regexes(benchmark::State& state) {
  const RuleSet rules = regex_rules(static_cast<std::size_t>(state.range(0)));
  run(state, rules);
}
BENCHMARK(BM_Regexes)->Arg(5)->Arg(static_cast<std::int64_t>(max_regex_patterns))
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace bulwark::moderation

BENCHMARK_MAIN();
