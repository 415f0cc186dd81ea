// Data categories an order may request. Only two can ever be released, because only two are
// held in a form the operator can read (DESIGN.md "Data the server holds"): the account's phone
// number and its recent IP addresses within the retention window. Every other category - message
// content, contacts, groups, channels subscribed, anything an order may name - is answered with
// the server's signed statement that such data is not held.
#pragma once

#include <string_view>

namespace bulwark::lawful {

inline constexpr std::string_view phone_number_category = "phone_number";
inline constexpr std::string_view ip_addresses_category = "ip_addresses";

[[nodiscard]] constexpr bool is_releasable(std::string_view category) {
  return category == phone_number_category || category == ip_addresses_category;
}

}  // namespace bulwark::lawful
