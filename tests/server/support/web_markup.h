// A strict reader of the web preview's output for tests: it walks every tag of a page or feed
// and reports the first thing the renderers would never write themselves - an unknown element
// or attribute, an unquoted or script-bearing attribute value, a raw '>' or a bare '&' in
// text. Hostile input that became markup shows up here whatever form it took.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace bulwark::server::web_markup {

struct Vocabulary {
  std::set<std::string, std::less<>> elements;
  std::set<std::string, std::less<>> attributes;
};

// The elements and attributes of the HTML pages, and of the Atom feed.
[[nodiscard]] const Vocabulary& html_vocabulary();
[[nodiscard]] const Vocabulary& atom_vocabulary();

// Empty when every tag, attribute and text run of `document` is one the renderers write;
// otherwise the first problem, with the text around it.
[[nodiscard]] std::string first_foreign_markup(std::string_view document,
                                               const Vocabulary& vocabulary);

// The text between the first `open` after `from` and the next `close`; empty if absent.
[[nodiscard]] std::string_view between(std::string_view text, std::string_view open,
                                       std::string_view close, std::size_t from = 0);

// How many times `needle` occurs in `text`.
[[nodiscard]] std::size_t count(std::string_view text, std::string_view needle);

}  // namespace bulwark::server::web_markup
