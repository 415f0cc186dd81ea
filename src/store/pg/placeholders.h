// PostgreSQL numbers its parameters ($1, $2, ...) where the store's queries (store/sql/db.h)
// write `?`. The rewrite runs once per query text, when it is first prepared.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::store::pg {

struct NumberedSql {
  std::string text;
  int parameters = 0;
};

// `sql` with its n-th `?` written $n. A `?` inside a string literal ('...'), a quoted
// identifier ("..."), a dollar-quoted body ($$...$$ or $tag$...$tag$) or a comment (-- to the
// end of the line, /* ... */) is text, not a parameter, and is left alone.
[[nodiscard]] NumberedSql number_placeholders(std::string_view sql);

}  // namespace bulwark::store::pg
