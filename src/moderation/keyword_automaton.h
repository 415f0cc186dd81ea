// Every keyword of every keyword rule, matched in one pass over a post (Aho-Corasick), so the
// cost of a rule check is linear in the text however many keywords the operator lists.
//
// Matching is case-insensitive for ASCII letters and on word boundaries, exactly as
// keyword_matches() below defines them. The work per text byte is bounded by one automaton
// step plus one boundary check per keyword that ends there, and at most max_pattern_bytes
// keywords can end at one byte (each is a suffix of the next), so a 16 KiB post costs at most a
// few million steps, whatever the lists hold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::moderation {

// Whether `keyword` occurs in `text` case-insensitively (ASCII letters folded) on word
// boundaries: a word byte is an ASCII letter or digit, '_' or any byte of a non-ASCII UTF-8
// sequence, and a keyword edge that is a word byte must not touch another word byte. The
// definition the automaton implements, one keyword at a time.
[[nodiscard]] bool keyword_matches(std::string_view text, std::string_view keyword) noexcept;

class KeywordAutomaton {
 public:
  // Adds `keyword` (non-empty) for owner `owner`, an index the caller chooses (a rule's).
  void add(std::string_view keyword, std::uint32_t owner);
  // Computes the failure links; add() must not be called afterwards.
  void finish();

  // Sets found[owner] for every owner with a keyword in `text`; `found` is sized by the caller.
  void match(std::string_view text, std::vector<bool>& found) const;

 private:
  struct Keyword {
    std::uint32_t length = 0;
    std::uint32_t owner = 0;
    bool word_start = false;  // the keyword begins with a word byte: needs a boundary before it
    bool word_end = false;    // ... ends with one: needs a boundary after it
  };
  struct Node {
    std::vector<std::pair<unsigned char, std::uint32_t>> next;  // sorted by byte
    std::uint32_t fail = 0;
    std::uint32_t output = 0;  // nearest node on the failure chain that ends keywords, or 0
    std::vector<std::uint32_t> keywords;  // keywords ending exactly here
  };

  [[nodiscard]] std::uint32_t child(std::uint32_t node, unsigned char byte) const noexcept;
  [[nodiscard]] std::uint32_t step(std::uint32_t node, unsigned char byte) const noexcept;
  void report(std::string_view text, std::size_t end, std::uint32_t node,
              std::vector<bool>& found) const;

  std::vector<Node> nodes_{Node{}};
  std::vector<Keyword> keywords_;
};

}  // namespace bulwark::moderation
