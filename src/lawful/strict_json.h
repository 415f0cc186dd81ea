// Strict JSON for documents whose every byte matters: a court order is signed as bytes and then
// read as JSON, so two readers must never see two meanings. nlohmann keeps the last of a
// duplicated key where another reader may keep the first; a duplicate is therefore refused at
// any depth, as are invalid UTF-8, anything after the value, and nesting deeper than asked.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.h"

namespace bulwark::lawful {

// Errc::invalid_encoding, naming the first problem found.
[[nodiscard]] Result<nlohmann::json> parse_strict_json(std::string_view text,
                                                       std::size_t max_depth);

}  // namespace bulwark::lawful
