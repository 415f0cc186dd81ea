#include "server/moderation_names.h"

#include "moderation/action.h"
#include "moderation/category.h"

namespace bulwark::server {

std::string_view target_name(store::CaseTarget target) noexcept {
  switch (target) {
    case store::CaseTarget::post: return "post";
    case store::CaseTarget::channel: return "channel";
    case store::CaseTarget::message: return "message";
  }
  return "post";
}

std::string_view state_name(store::CaseState state) noexcept {
  switch (state) {
    case store::CaseState::open: return "open";
    case store::CaseState::decided: return "decided";
    case store::CaseState::appealed: return "appealed";
    case store::CaseState::closed: return "closed";
  }
  return "open";
}

std::string category_text(std::uint8_t number) {
  auto category = moderation::category_from_number(number);
  return category ? std::string(moderation::category_name(*category)) : "other";
}

std::string action_text(std::uint8_t number) {
  auto action = moderation::action_from_number(number);
  return action ? std::string(moderation::action_name(*action)) : "";
}

}  // namespace bulwark::server
