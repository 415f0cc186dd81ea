#include "server/support/web_markup.h"

#include <array>

namespace bulwark::server::web_markup {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':';
}

std::string around(std::string_view document, std::size_t at) {
  const std::size_t start = at < 40 ? 0 : at - 40;
  return " near \"" + std::string(document.substr(start, 80)) + "\"";
}

// A text run may hold '&' only as one of the entities the escapers write.
std::string check_text(std::string_view document, std::size_t begin, std::size_t end) {
  constexpr std::array<std::string_view, 5> entities = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
  for (std::size_t i = begin; i < end; ++i) {
    if (document[i] == '>') return "a raw '>' in text" + around(document, i);
    if (document[i] != '&') continue;
    bool known = false;
    for (std::string_view entity : entities)
      known = known || document.substr(i).starts_with(entity);
    if (!known) return "a bare '&' in text" + around(document, i);
  }
  return {};
}

// Checks the attributes of the tag whose name ends at `i`; moves `i` past its '>'.
std::string check_attributes(std::string_view document, std::size_t& i,
                             const Vocabulary& vocabulary) {
  while (i < document.size()) {
    while (i < document.size() && document[i] == ' ') ++i;
    if (document.substr(i).starts_with(">") || document.substr(i).starts_with("/>") ||
        document.substr(i).starts_with("?>")) {
      i = document.find('>', i) + 1;
      return {};
    }
    const std::size_t name_start = i;
    while (i < document.size() && is_name_char(document[i])) ++i;
    const std::string_view name = document.substr(name_start, i - name_start);
    if (name.empty() || !vocabulary.attributes.contains(name))
      return "unexpected attribute \"" + std::string(name) + "\"" + around(document, name_start);
    if (i >= document.size() || document[i] != '=' || i + 1 >= document.size() ||
        document[i + 1] != '"')
      return "attribute without a double-quoted value" + around(document, i);
    const std::size_t value_start = i + 2;
    const std::size_t value_end = document.find('"', value_start);
    if (value_end == std::string_view::npos)
      return "unterminated attribute value" + around(document, i);
    const std::string_view value = document.substr(value_start, value_end - value_start);
    if (value.find('<') != std::string_view::npos)
      return "'<' in an attribute" + around(document, i);
    if (name == "href" && !(value.starts_with("/s/") || value.starts_with("https://") ||
                            value.starts_with("http://")))
      return "unexpected link \"" + std::string(value) + "\"" + around(document, i);
    if (std::string problem = check_text(document, value_start, value_end); !problem.empty())
      return problem;
    i = value_end + 1;
  }
  return "unterminated tag";
}

}  // namespace

const Vocabulary& html_vocabulary() {
  static const Vocabulary vocabulary{
      {"html", "head", "meta", "title", "link",    "style", "body", "header", "h1",   "p",
       "code", "main", "nav",  "a",     "article", "div",   "br",   "footer", "span", "time"},
      {"lang", "charset", "name", "content", "rel", "type", "title", "href", "class", "id",
       "data-seq", "data-signature", "data-removed", "dir", "role", "datetime"}};
  return vocabulary;
}

const Vocabulary& atom_vocabulary() {
  static const Vocabulary vocabulary{
      {"?xml", "feed", "id", "title", "subtitle", "updated", "published", "link", "author", "name",
       "uri", "entry", "content"},
      {"version", "encoding", "xmlns", "rel", "type", "href"}};
  return vocabulary;
}

std::string first_foreign_markup(std::string_view document, const Vocabulary& vocabulary) {
  std::size_t text_start = 0;
  for (std::size_t i = 0; i < document.size();) {
    if (document[i] != '<') {
      ++i;
      continue;
    }
    if (std::string problem = check_text(document, text_start, i); !problem.empty()) return problem;
    if (document.substr(i).starts_with("<!doctype html>")) {
      i += 15;
    } else if (document.substr(i).starts_with("<style>")) {
      // The style is page_style, checked against its CSP hash elsewhere.
      const std::size_t end = document.find("</style>", i);
      if (end == std::string_view::npos) return "unterminated <style>";
      i = end + 8;
    } else {
      std::size_t j = i + 1;
      if (j < document.size() && document[j] == '/') ++j;
      const std::size_t name_start = j;
      if (j < document.size() && document[j] == '?') ++j;
      while (j < document.size() && is_name_char(document[j])) ++j;
      const std::string_view name = document.substr(name_start, j - name_start);
      if (!vocabulary.elements.contains(name))
        return "unexpected element \"" + std::string(name) + "\"" + around(document, i);
      if (std::string problem = check_attributes(document, j, vocabulary); !problem.empty())
        return problem;
      i = j;
    }
    text_start = i;
  }
  return check_text(document, text_start, document.size());
}

std::string_view between(std::string_view text, std::string_view open, std::string_view close,
                         std::size_t from) {
  const std::size_t start = text.find(open, from);
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find(close, start + open.size());
  if (end == std::string_view::npos) return {};
  return text.substr(start + open.size(), end - start - open.size());
}

std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

}  // namespace bulwark::server::web_markup
