// Free text a person typed that others will read - a moderator's or an operator's reason, a
// comment: well-formed UTF-8 (shortest forms, no surrogates, nothing past U+10FFFF) without
// control characters but newline and tab, so it can neither break a decoder nor forge lines
// in a terminal or a log.
#pragma once

#include <string_view>

namespace bulwark {

[[nodiscard]] bool is_free_text(std::string_view text) noexcept;

}  // namespace bulwark
