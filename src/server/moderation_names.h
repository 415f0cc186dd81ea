// The names the server's moderation answers use for stored case fields (docs/MODERATION.md):
// one place for the users' notices (handlers/moderation.cpp) and the moderators' API
// (moderation_admin.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/moderation_records.h"

namespace bulwark::server {

[[nodiscard]] std::string_view target_name(store::CaseTarget target) noexcept;
[[nodiscard]] std::string_view state_name(store::CaseState state) noexcept;
// A stored category number's name; "other" for a number outside 1-7.
[[nodiscard]] std::string category_text(std::uint8_t number);
// A stored action number's name; "" for none.
[[nodiscard]] std::string action_text(std::uint8_t number);

}  // namespace bulwark::server
