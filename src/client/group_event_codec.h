// The stored form of a GroupEvent (client/group_types.h): JSON text in mls_group_events, so
// that an event committed with its group state survives a crash before it is shown. Holds
// what the user is shown and nothing secret beyond that (a message's text, as the inbox does).
#pragma once

#include <string>
#include <string_view>

#include "client/group_types.h"
#include "common/result.h"

namespace bulwark::client {

[[nodiscard]] std::string encode_group_event(const GroupEvent& event);
// Errc::invalid_encoding for text that is not an encoded event (a damaged row).
[[nodiscard]] Result<GroupEvent> decode_group_event(std::string_view text);

}  // namespace bulwark::client
