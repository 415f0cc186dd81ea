#include "store/pg/placeholders.h"

#include <cctype>

namespace bulwark::store::pg {
namespace {

// The index just past the end of the quoted run that opens at `at` with `quote` ('"' or '\'').
// A doubled quote inside is an escaped one; an unterminated run ends with the text.
std::size_t skip_quoted(std::string_view sql, std::size_t at, char quote) {
  std::size_t i = at + 1;
  while (i < sql.size()) {
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// The tag of a dollar quote opening at `at` ("$$" or "$name$"), or empty when `$` starts
// something else (a parameter such as $1).
std::string_view dollar_tag(std::string_view sql, std::size_t at) {
  std::size_t i = at + 1;
  while (i < sql.size() &&
         (std::isalpha(static_cast<unsigned char>(sql[i])) != 0 || sql[i] == '_' ||
          (i > at + 1 && std::isdigit(static_cast<unsigned char>(sql[i])) != 0))) {
    ++i;
  }
  if (i < sql.size() && sql[i] == '$') return sql.substr(at, i + 1 - at);
  return {};
}

// The index just past the construct (literal, identifier, comment, dollar quote) opening at
// `at`, or `at` itself when none opens there.
std::size_t skip_non_code(std::string_view sql, std::size_t at) {
  const char c = sql[at];
  if (c == '\'' || c == '"') return skip_quoted(sql, at, c);
  if (c == '-' && sql.substr(at, 2) == "--") {
    const std::size_t end = sql.find('\n', at);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (c == '/' && sql.substr(at, 2) == "/*") {
    const std::size_t end = sql.find("*/", at + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  if (c == '$') {
    const std::string_view tag = dollar_tag(sql, at);
    if (!tag.empty()) {
      const std::size_t end = sql.find(tag, at + tag.size());
      return end == std::string_view::npos ? sql.size() : end + tag.size();
    }
  }
  return at;
}

}  // namespace

NumberedSql number_placeholders(std::string_view sql) {
  NumberedSql out;
  out.text.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    const std::size_t skipped = skip_non_code(sql, i);
    if (skipped != i) {
      out.text.append(sql.substr(i, skipped - i));
      i = skipped;
      continue;
    }
    if (sql[i] == '?') {
      out.text += '$';
      out.text += std::to_string(++out.parameters);
    } else {
      out.text += sql[i];
    }
    ++i;
  }
  return out;
}

}  // namespace bulwark::store::pg
