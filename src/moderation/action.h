// A moderator's actions on a case (docs/MODERATION.md "Actions"): the first decision on a
// queued case (remove-post, restrict-channel, suspend-account, dismiss) and the decision on an
// appeal (reinstate reverses the appealed action; dismiss upholds it). The numbers are stored
// and signed: never renumber one, only add.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bulwark::moderation {

enum class Action : std::uint8_t {
  remove_post = 1,
  restrict_channel = 2,
  suspend_account = 3,
  dismiss = 4,
  reinstate = 5,
};

inline constexpr std::array<Action, 5> all_actions{Action::remove_post, Action::restrict_channel,
                                                   Action::suspend_account, Action::dismiss,
                                                   Action::reinstate};

// "remove-post", "restrict-channel", "suspend-account", "dismiss", "reinstate".
[[nodiscard]] std::string_view action_name(Action action) noexcept;
[[nodiscard]] std::optional<Action> action_from_name(std::string_view name) noexcept;
[[nodiscard]] std::optional<Action> action_from_number(std::uint32_t number) noexcept;

// Whether the action changes what the affected owner may do or show (and so may be appealed).
[[nodiscard]] constexpr bool restricts(Action action) noexcept {
  return action == Action::remove_post || action == Action::restrict_channel ||
         action == Action::suspend_account;
}

}  // namespace bulwark::moderation
