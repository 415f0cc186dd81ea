// How the client names an account to people: its phone number, else @username, else its
// account id. One rule for messages, contacts, group members and the CLI's rendering.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::client {

[[nodiscard]] inline std::string display_name(const std::optional<std::string>& phone,
                                              const std::optional<std::string>& username,
                                              std::string_view account) {
  if (phone) return *phone;
  if (username) return "@" + *username;
  return std::string(account);
}

}  // namespace bulwark::client
