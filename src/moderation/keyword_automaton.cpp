#include "moderation/keyword_automaton.h"

#include <algorithm>
#include <deque>

namespace bulwark::moderation {
namespace {

unsigned char fold(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

bool is_word_byte(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

unsigned char byte_at(std::string_view text, std::size_t at) noexcept {
  return static_cast<unsigned char>(text[at]);
}

// Whether a keyword occupying text[start, end) stands on word boundaries.
bool on_boundaries(std::string_view text, std::size_t start, std::size_t end, bool word_start,
                   bool word_end) noexcept {
  const bool starts = !word_start || start == 0 || !is_word_byte(byte_at(text, start - 1));
  const bool ends = !word_end || end == text.size() || !is_word_byte(byte_at(text, end));
  return starts && ends;
}

bool equal_folded(std::string_view text, std::size_t at, std::string_view keyword) noexcept {
  for (std::size_t i = 0; i < keyword.size(); ++i)
    if (fold(byte_at(text, at + i)) != fold(byte_at(keyword, i))) return false;
  return true;
}

}  // namespace

bool keyword_matches(std::string_view text, std::string_view keyword) noexcept {
  if (keyword.empty() || keyword.size() > text.size()) return false;
  const bool word_start = is_word_byte(byte_at(keyword, 0));
  const bool word_end = is_word_byte(byte_at(keyword, keyword.size() - 1));
  for (std::size_t at = 0; at + keyword.size() <= text.size(); ++at)
    if (equal_folded(text, at, keyword) &&
        on_boundaries(text, at, at + keyword.size(), word_start, word_end))
      return true;
  return false;
}

std::uint32_t KeywordAutomaton::child(std::uint32_t node, unsigned char byte) const noexcept {
  const auto& next = nodes_[node].next;
  auto it = std::lower_bound(next.begin(), next.end(), byte,
                             [](const auto& edge, unsigned char b) { return edge.first < b; });
  return (it != next.end() && it->first == byte) ? it->second : 0;
}

void KeywordAutomaton::add(std::string_view keyword, std::uint32_t owner) {
  if (keyword.empty()) return;
  std::uint32_t node = 0;
  for (char raw : keyword) {
    const unsigned char byte = fold(static_cast<unsigned char>(raw));
    std::uint32_t next = child(node, byte);
    if (next == 0) {
      next = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back();
      auto& edges = nodes_[node].next;
      auto at = std::lower_bound(edges.begin(), edges.end(), byte,
                                 [](const auto& edge, unsigned char b) { return edge.first < b; });
      edges.insert(at, {byte, next});
    }
    node = next;
  }
  nodes_[node].keywords.push_back(static_cast<std::uint32_t>(keywords_.size()));
  keywords_.push_back(Keyword{static_cast<std::uint32_t>(keyword.size()), owner,
                              is_word_byte(byte_at(keyword, 0)),
                              is_word_byte(byte_at(keyword, keyword.size() - 1))});
}

void KeywordAutomaton::finish() {
  // Breadth first, so a node's failure target (a shorter suffix) is finished before it.
  std::deque<std::uint32_t> pending;
  for (const auto& [byte, next] : nodes_[0].next) pending.push_back(next);
  while (!pending.empty()) {
    const std::uint32_t node = pending.front();
    pending.pop_front();
    for (const auto& [byte, next] : nodes_[node].next) {
      std::uint32_t fallback = nodes_[node].fail;
      std::uint32_t target = child(fallback, byte);
      while (target == 0 && fallback != 0) {
        fallback = nodes_[fallback].fail;
        target = child(fallback, byte);
      }
      Node& entry = nodes_[next];
      entry.fail = target;
      entry.output = nodes_[target].keywords.empty() ? nodes_[target].output : target;
      pending.push_back(next);
    }
  }
}

std::uint32_t KeywordAutomaton::step(std::uint32_t node, unsigned char byte) const noexcept {
  while (true) {
    if (const std::uint32_t next = child(node, byte); next != 0) return next;
    if (node == 0) return 0;
    node = nodes_[node].fail;
  }
}

void KeywordAutomaton::report(std::string_view text, std::size_t end, std::uint32_t node,
                              std::vector<bool>& found) const {
  for (std::uint32_t at = nodes_[node].keywords.empty() ? nodes_[node].output : node; at != 0;
       at = nodes_[at].output) {
    for (std::uint32_t index : nodes_[at].keywords) {
      const Keyword& keyword = keywords_[index];
      if (found[keyword.owner]) continue;
      if (on_boundaries(text, end - keyword.length, end, keyword.word_start, keyword.word_end))
        found[keyword.owner] = true;
    }
  }
}

void KeywordAutomaton::match(std::string_view text, std::vector<bool>& found) const {
  std::uint32_t node = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    node = step(node, fold(byte_at(text, at)));
    if (node != 0) report(text, at + 1, node, found);
  }
}

}  // namespace bulwark::moderation
