// Phone numbers: validated and normalised to E.164 with libphonenumber, so "+1 (201) 555-0123",
// "+12015550123" and "001 201 555 0123" (from a region that dials 00) are one account.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::server {

// `text` must be in international form (leading + or 00). Errc::invalid_argument with a
// reason a user understands ("not a valid phone number") otherwise. Numbers libphonenumber
// deems impossible or invalid are refused; fictional 555-01xx numbers are valid in the US
// metadata and so are accepted (tests use them).
[[nodiscard]] Result<std::string> normalize_phone(std::string_view text);

}  // namespace bulwark::server
