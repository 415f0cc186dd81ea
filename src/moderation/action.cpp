#include "moderation/action.h"

namespace bulwark::moderation {

std::string_view action_name(Action action) noexcept {
  switch (action) {
    case Action::remove_post: return "remove-post";
    case Action::restrict_channel: return "restrict-channel";
    case Action::suspend_account: return "suspend-account";
    case Action::dismiss: return "dismiss";
    case Action::reinstate: return "reinstate";
  }
  return "dismiss";
}

std::optional<Action> action_from_name(std::string_view name) noexcept {
  for (Action action : all_actions)
    if (action_name(action) == name) return action;
  return std::nullopt;
}

std::optional<Action> action_from_number(std::uint32_t number) noexcept {
  if (number < 1 || number > all_actions.size()) return std::nullopt;
  return static_cast<Action>(number);
}

}  // namespace bulwark::moderation
